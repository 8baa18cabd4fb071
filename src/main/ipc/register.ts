/**
 * Registers a handler for every contract channel on an ipcMain-like object. Takes the object as
 * a parameter so it can be tested without Electron.
 */
import { CHANNEL_NAMES } from '../../shared/contract';
import { dispatch } from './dispatch';
import type { HandlerTable } from './handlers';

export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, input: unknown) => unknown): void;
}

export function registerIpc(ipc: IpcMainLike, handlers: HandlerTable): string[] {
  for (const channel of CHANNEL_NAMES) {
    ipc.handle(channel, (_event, input) => dispatch(handlers, channel, input));
  }
  return [...CHANNEL_NAMES];
}
