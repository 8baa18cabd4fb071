/**
 * The renderer's only way to the core: a typed client over the one contract. In Electron it
 * goes through the preload bridge; in the browser host over HTTP on 127.0.0.1 with the token.
 */
import type { AppInfo, Channel, ChannelInput, ChannelOutput, EventMap, EventName } from '../../shared/contract';
import type { Bridge } from '../../shared/bridge';
import type { AppErrorShape, Result } from '../../shared/errors';

declare global {
  interface Window {
    alliance?: Bridge;
  }
}

/** A failed request, carrying the message meant for the user. */
export class ApiError extends Error {
  readonly code: AppErrorShape['code'];
  constructor(error: AppErrorShape) {
    super(error.message);
    this.code = error.code;
  }
}

interface Transport {
  host: AppInfo['host'];
  invoke(channel: Channel, input: unknown): Promise<Result<unknown>>;
  on(event: EventName, cb: (payload: unknown) => void): () => void;
  mediaUrl(recordingId: number): string;
  /** The recording's scrub aid (a short-GOP proxy), when it has one. */
  scrubUrl(recordingId: number): string;
  pathForFile(file: File): string | null;
}

function electronTransport(bridge: Bridge): Transport {
  return {
    host: 'electron',
    invoke: (channel, input) => bridge.invoke(channel, input) as Promise<Result<unknown>>,
    on: (event, cb) => bridge.on(event, cb),
    mediaUrl: (id) => `media://recording/${id}`,
    scrubUrl: (id) => `media://recording/${id}/scrub`,
    pathForFile: (file) => bridge.pathForFile(file) || null,
  };
}

function browserTransport(): Transport {
  // The printed address carries the token once; the page keeps it for this tab (reloads) and
  // sends it only in a header or the socket handshake, never as a cookie.
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) sessionStorage.setItem('alliance-token', fromUrl);
  const token = fromUrl ?? sessionStorage.getItem('alliance-token') ?? '';
  const mediaKey = document.querySelector<HTMLMetaElement>('meta[name="alliance-media-key"]')?.content ?? '';
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const post = async (channel: Channel, input: unknown): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Alliance-Token': token },
        body: JSON.stringify(input ?? {}),
      });
      if (!res.ok) return { ok: false, error: { code: 'INTERNAL', message: await res.text() } };
      return (await res.json()) as Result<unknown>;
    } catch {
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'The Alliance Review host is not running. Start it again and reload.' },
      };
    }
  };
  // Calls and events go over one WebSocket (ordered, like Electron's IPC, without a request's
  // HTTP cost); until it is open, or if it cannot open, calls go over HTTP.
  const calls = new Map<number, (r: Result<unknown>) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  const connect = () => {
    const ws = new WebSocket(`ws://${location.host}/rpc`, ['alliance.rpc.v1', `token.${token}`]);
    ws.onopen = () => (socket = ws);
    ws.onmessage = (e: MessageEvent<string>) => {
      const msg = JSON.parse(e.data) as
        { id: number; result: Result<unknown> } | { event: EventName; payload: unknown };
      if ('event' in msg) {
        listeners.get(msg.event)?.forEach((cb) => cb(msg.payload));
        return;
      }
      calls.get(msg.id)?.(msg.result);
      calls.delete(msg.id);
    };
    ws.onclose = () => {
      if (socket === ws) socket = null;
      // Calls in flight on a lost connection get an answer, never silence.
      for (const [id, answer] of calls) {
        answer({
          ok: false,
          error: { code: 'INTERNAL', message: 'The connection to the Alliance Review host was lost. Reload the page.' },
        });
        calls.delete(id);
      }
    };
  };
  connect();
  return {
    host: 'browser',
    invoke(channel, input) {
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) return post(channel, input);
      const id = nextId++;
      return new Promise((resolve) => {
        calls.set(id, resolve);
        ws.send(JSON.stringify({ id, channel, input: input ?? {} }));
      });
    },
    on(event, cb) {
      const set = listeners.get(event) ?? new Set();
      set.add(cb);
      listeners.set(event, set);
      return () => set.delete(cb);
    },
    mediaUrl: (id) => `/media/${id}?k=${encodeURIComponent(mediaKey)}`,
    scrubUrl: (id) => `/media/${id}/scrub?k=${encodeURIComponent(mediaKey)}`,
    pathForFile: () => null,
  };
}

const transport: Transport = window.alliance ? electronTransport(window.alliance) : browserTransport();

export const api = {
  host: transport.host,
  /** Calls a contract channel; throws ApiError with a user-facing message on failure. */
  async call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const result = await transport.invoke(channel, input);
    if (!result.ok) throw new ApiError(result.error);
    return result.value as ChannelOutput<C>;
  },
  on<E extends EventName>(event: E, cb: (payload: EventMap[E]) => void): () => void {
    return transport.on(event, cb as (p: unknown) => void);
  },
  mediaUrl: transport.mediaUrl,
  scrubUrl: transport.scrubUrl,
  /** The real path of a dropped file (Electron only); null in the browser host. */
  pathForFile: transport.pathForFile,
};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
