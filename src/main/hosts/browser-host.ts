/**
 * The browser host: the real core services behind a small HTTP server on 127.0.0.1, serving the
 * built renderer, the contract and the media route. For tests, screenshots, benchmarks and
 * development on machines without Electron's binary. Never part of the packaged app.
 *
 * The random token travels only in a header (`X-Alliance-Token`) or in the WebSocket handshake
 * (a `token.<hex>` subprotocol), never in a cookie: browsers send cookies to every port of
 * 127.0.0.1, so a cookie would hand the token to any other local server. The printed address
 * carries it once, as `?token=`, to load the page; the page then keeps it in memory. The
 * renderer's scripts and styles hold no data and are served to anyone on loopback; media URLs
 * carry a media key (derived from the token, good only for registered recordings), because a
 * video element cannot send headers.
 *
 * Contract calls come over one WebSocket (`/rpc`: token, host check, and only this host's own
 * pages), like Electron's IPC a single ordered channel without a request's HTTP overhead; events
 * come over the same socket. `POST /api/<channel>` does the same for scripts: JSON only, and
 * refused from any other origin.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { EventMap, EventName } from '../../shared/contract';
import type { Core } from '../app';
import { LibraryGate } from '../protection/gate';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatch } from '../rpc/dispatch';
import { createHandlers } from '../rpc/handlers';
import { noDialogs } from '../platform/types';
import { APP_CSP, RENDERER_TYPES as STATIC_TYPES } from '../protocol/app';
import { closePlan, mediaStream, planMedia } from '../protocol/media';

export interface BrowserHostOptions {
  dataDir: string;
  rendererDir: string;
  port?: number;
  token?: string;
  version?: string;
  /** Build scrub aids in the background (default true; tests that do not look at them turn it off). */
  scrubAid?: boolean;
  /** Back the library up once a day (default true; tests turn it off). */
  dailyBackups?: boolean;
  /** How long a request's body may take to arrive (default 30 s); a slower one is cut off. */
  bodyTimeoutMs?: number;
}

export interface BrowserHost {
  url: string;
  token: string;
  port: number;
  /** The open core (LOCKED while a protected library is locked). */
  readonly core: Core;
  gate: LibraryGate;
  close(): Promise<void>;
}

/** The page's content security policy: the same as the Electron app's. */
export const CSP = APP_CSP;

const MAX_BODY = 1024 * 1024;
const LOCAL_HOST = /^(127\.0\.0\.1|localhost)(:\d+)?$/;

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const mediaKey = createHmac('sha256', token).update('media').digest('hex').slice(0, 32);
  const clients = new Set<http.ServerResponse>();
  const sockets = new Set<WebSocket>();
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of clients) res.write(frame);
    const message = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message);
  };
  // A protected library starts locked: the page asks for its passphrase (no keychain here).
  const gate = new LibraryGate(
    { dataDir: options.dataDir, emit, scrubAid: options.scrubAid ?? true, dailyBackups: options.dailyBackups ?? true },
    null,
    (locked) => emit('lock:changed', { locked }),
  ).start();
  const handlers = createHandlers(gate, noDialogs, { host: 'browser', version: options.version ?? '0.0.0' });
  const rendererDir = path.resolve(options.rendererDir);
  const hasToken = (given: string | null | undefined) => typeof given === 'string' && safeEqual(given, token);

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return send(res, 400, 'Bad request.');
    }
    // Refuse anything addressed to another host name (DNS rebinding).
    const hostHeader = req.headers.host ?? '';
    if (!LOCAL_HOST.test(hostHeader)) return send(res, 421, 'Wrong host.');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const route = url.pathname;
    const headerToken = hasToken(header(req, 'x-alliance-token'));
    if (route.startsWith('/api/')) {
      if (!headerToken) return send(res, 401, 'This address needs the token printed when the host started.');
      if (req.method !== 'POST') return send(res, 405, 'Method not allowed.');
      // Only scripts and this host's own pages: a page on another local port cannot call in.
      const origin = header(req, 'origin');
      if (origin !== null && origin !== `http://${hostHeader}`) return send(res, 403, 'Other origins are refused.');
      const site = header(req, 'sec-fetch-site');
      if (site !== null && site !== 'same-origin' && site !== 'none') return send(res, 403, 'Other sites are refused.');
      if (!/^application\/json(;|$)/i.test(header(req, 'content-type') ?? ''))
        return send(res, 415, 'Send JSON (Content-Type: application/json).');
      const channel = decodeSafe(route.slice(5));
      if (channel === null) return send(res, 400, 'Bad request.');
      // A client's failure (a body cut short, a dropped connection) ends that request, never the host.
      handleApi(req, res, channel).catch(() => {
        if (!res.headersSent && !res.destroyed) send(res, 400, 'The request was cut short.');
        else res.destroy();
      });
      return;
    }
    if (route === '/events' && req.method === 'GET') {
      if (!headerToken) return send(res, 401, 'This address needs the token printed when the host started.');
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (route.startsWith('/media/') && (req.method === 'GET' || req.method === 'HEAD')) {
      const key = url.searchParams.get('k');
      if (!headerToken && !(key !== null && safeEqual(key, mediaKey)))
        return send(res, 401, 'This address needs the token printed when the host started.');
      const core = gate.core;
      if (!core) return send(res, 423, 'The library is locked.');
      const plan = planMedia(core.library, route.slice(7), header(req, 'range') ?? undefined, (id) =>
        core.scrub.readyFile(id),
      );
      res.writeHead(plan.status, plan.headers);
      if (req.method === 'HEAD' || typeof plan.body === 'string') {
        closePlan(plan);
        return res.end(typeof plan.body === 'string' ? plan.body : undefined);
      }
      const stream = mediaStream(plan.body);
      stream.on('error', () => res.destroy());
      res.on('close', () => stream.destroy());
      stream.pipe(res);
      return;
    }
    if (req.method !== 'GET') return send(res, 405, 'Method not allowed.');
    if (route === '/' || route === '/index.html') {
      // The page itself needs the token (the printed address carries it); it gets the media key.
      if (!headerToken && !hasToken(url.searchParams.get('token')))
        return send(res, 401, 'This address needs the token printed when the host started.');
      return serveIndex(res, rendererDir, mediaKey);
    }
    return serveStatic(res, rendererDir, route);
  });

  /**
   * A request's body: bounded (MAX_BODY, said before reading when Content-Length is larger) and
   * timed (bodyTimeoutMs); a body cut short or too slow rejects, and the caller answers or drops it.
   */
  function readBody(req: http.IncomingMessage): Promise<Buffer | 'too large'> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) return Promise.resolve('too large');
    return new Promise((resolve, reject) => {
      // Chunks are joined as bytes and decoded once: a character split between chunks stays whole.
      const chunks: Buffer[] = [];
      let size = 0;
      const timer = setTimeout(() => {
        reject(new Error('body timeout'));
        req.destroy();
      }, options.bodyTimeoutMs ?? 30_000);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          req.pause();
          done(() => resolve('too large'));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => done(() => resolve(Buffer.concat(chunks))));
      req.on('aborted', () => done(() => reject(new Error('aborted'))));
      req.on('error', (e) => done(() => reject(e)));
      req.on('close', () => done(() => reject(new Error('closed'))));
    });
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, channel: string) {
    const body = await readBody(req);
    if (body === 'too large') return send(res, 413, 'Request too large.');
    const raw = body.toString('utf8');
    let input: unknown;
    try {
      input = raw ? JSON.parse(raw) : {};
    } catch {
      return json(res, { ok: false, error: { code: 'INVALID_INPUT', message: 'The request was not valid JSON.' } });
    }
    json(res, await dispatch(handlers, channel, input));
  }

  // The contract over a WebSocket: messages {id, channel, input} answered by {id, result};
  // events pushed as {event, payload}.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BODY,
    handleProtocols: (protocols) => (protocols.has(RPC_PROTOCOL) ? RPC_PROTOCOL : false),
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const hostHeader = req.headers.host ?? '';
    const origin = header(req, 'origin');
    const offered = (header(req, 'sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
    const tokenOffered = offered.find((p) => p.startsWith('token.'))?.slice(6);
    const ok =
      url.pathname === '/rpc' &&
      LOCAL_HOST.test(hostHeader) &&
      origin === `http://${hostHeader}` &&
      (hasToken(tokenOffered) || hasToken(header(req, 'x-alliance-token'))) &&
      offered.includes(RPC_PROTOCOL);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveRpc(ws));
  });
  function serveRpc(ws: WebSocket) {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // Oversized frames and protocol errors close this socket; they never take the host down.
    ws.on('error', () => ws.terminate());
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        return ws.close(1003, 'Not JSON.');
      }
      if (typeof msg !== 'object' || msg === null) return ws.close(1003, 'Not a call.');
      const { id, channel, input } = msg as { id?: unknown; channel?: unknown; input?: unknown };
      if (typeof id !== 'number' || typeof channel !== 'string') return ws.close(1003, 'Not a call.');
      void dispatch(handlers, channel, input ?? {}).then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    get core() {
      return gate.requireCore();
    },
    gate,
    close: async () => {
      for (const res of clients) res.end();
      sockets.clear();
      clients.clear();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await gate.core?.imports.idle();
      gate.close();
    },
  };
}

/** The WebSocket subprotocol of the contract; the token rides beside it as `token.<hex>`. */
export const RPC_PROTOCOL = 'alliance.rpc.v1';

/** The app's page, with the media key in a meta tag (media elements cannot send headers). */
function serveIndex(res: http.ServerResponse, root: string, mediaKey: string) {
  fs.readFile(path.join(root, 'index.html'), 'utf8', (err, html) => {
    if (err) return send(res, 404, 'Not found.');
    const meta = `<meta name="alliance-media-key" content="${mediaKey}" />`;
    const body = html.includes('</head>') ? html.replace('</head>', `    ${meta}\n  </head>`) : `${meta}${html}`;
    res.writeHead(200, {
      'Content-Type': STATIC_TYPES['.html']!,
      'Cache-Control': 'no-store',
      'Content-Security-Policy': CSP,
    });
    res.end(body);
  });
}

function serveStatic(res: http.ServerResponse, root: string, route: string) {
  const rel = route === '/' ? 'index.html' : decodeSafe(route.slice(1));
  const file = rel === null ? null : path.resolve(root, rel);
  if (!file || !file.startsWith(root + path.sep)) return send(res, 404, 'Not found.');
  fs.readFile(file, (err, data) => {
    if (err) return send(res, 404, 'Not found.');
    const type = STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type, 'Cache-Control': 'no-store' };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CSP;
    res.writeHead(200, headers);
    res.end(data);
  });
}

function decodeSafe(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function header(req: http.IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function send(res: http.ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function json(res: http.ServerResponse, value: unknown) {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(value));
}
