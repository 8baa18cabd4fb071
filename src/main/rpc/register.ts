/**
 * Registers a handler for every contract channel on an ipcMain-like object. Takes the object as
 * a parameter so it can be tested without Electron.
 *
 * Every call's sender frame is checked first: only the app's own page (its main frame, loaded
 * from the app's origin) may call the contract. A frame from anywhere else, an iframe, or a call
 * with no frame is answered with a refusal and never reaches a handler.
 */
import { CHANNEL_NAMES } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { dispatch } from './dispatch';
import type { HandlerTable } from './handlers';

/** What Electron's IpcMainInvokeEvent tells about the caller (the part we check). */
export interface IpcEventLike {
  senderFrame?: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, input: unknown) => unknown): void;
}

/** Whether a frame may call the contract: the app's main frame, from one of `origins`. */
export function trustedSender(event: IpcEventLike, origins: readonly string[]): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent) return false;
  const origin = originOf(frame.url);
  return origin !== null && origins.includes(origin);
}

/** scheme://host of a URL; also for custom schemes, where URL.origin says "null". */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

const REFUSED: Result<never> = {
  ok: false,
  error: { code: 'FORBIDDEN', message: 'This request did not come from Alliance Review’s own window.' },
};

export function registerIpc(ipc: IpcMainLike, handlers: HandlerTable, origins: readonly string[]): string[] {
  for (const channel of CHANNEL_NAMES) {
    ipc.handle(channel, (event, input) =>
      trustedSender(event, origins) ? dispatch(handlers, channel, input) : REFUSED,
    );
  }
  return [...CHANNEL_NAMES];
}
