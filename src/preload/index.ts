/**
 * The sandboxed bridge. Exposes invoke(channel, input) and on(event, cb) for allow-listed names
 * only, plus the path of a dropped file. No business logic lives here.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNEL_ALLOW_LIST, EVENT_ALLOW_LIST } from '../shared/channel-names';

const channels = new Set<string>(CHANNEL_ALLOW_LIST);
const events = new Set<string>(EVENT_ALLOW_LIST);

const bridge = {
  invoke(channel: string, input: unknown): Promise<unknown> {
    if (!channels.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message: `Unknown request ${channel}.` } });
    }
    return ipcRenderer.invoke(channel, input);
  },
  on(event: string, callback: (payload: unknown) => void): () => void {
    if (!events.has(event)) return () => undefined;
    const listener = (_e: unknown, payload: unknown) => callback(payload);
    ipcRenderer.on(event, listener);
    return () => ipcRenderer.removeListener(event, listener);
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('alliance', bridge);

export type Bridge = typeof bridge;
