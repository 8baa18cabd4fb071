/**
 * The Electron shell, with `electron` replaced by a fake: asserts what the shell wires up
 * (secure window options, denied navigation and windows, the media protocol, a handler for
 * every contract channel, no permissions, no network). The fake app is packaged and the
 * environment names a dev server, which a packaged app must ignore.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../tests/support/tmp';
import { CHANNEL_NAMES } from '../shared/contract';

const h = vi.hoisted(() => {
  const state = {
    windows: [] as { options: Record<string, unknown> }[],
    ipc: new Map<string, (...a: unknown[]) => unknown>(),
    protocols: new Map<string, (req: Request) => Response | Promise<Response>>(),
    privileged: [] as unknown[],
    appHandlers: new Map<string, (...a: unknown[]) => unknown>(),
    permission: null as null | ((...a: unknown[]) => void),
    beforeRequest: null as null | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    permissionCheck: null as null | ((...a: unknown[]) => boolean),
    loaded: [] as string[],
    singleInstance: 0,
    userData: '',
    saveTo: null as string | null,
    printed: [] as string[],
    power: new Map<string, () => void>(),
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => h.windows;
    webContents = {
      send: vi.fn(),
      printToPDF: vi.fn(() => Promise.resolve(Buffer.from('%PDF-1.7 fake'))),
    };
    destroyed = false;
    constructor(public options: Record<string, unknown>) {
      h.windows.push(this);
    }
    destroy() {
      this.destroyed = true;
    }
    once() {}
    on() {}
    show() {}
    loadURL(url: string) {
      if (url.startsWith('data:')) h.printed.push(url);
      else h.loaded.push(url);
      return Promise.resolve();
    }
    loadFile() {
      return Promise.resolve();
    }
  }
  return {
    app: {
      isPackaged: true,
      requestSingleInstanceLock: () => (h.singleInstance++, true),
      whenReady: () => Promise.resolve(),
      on: (name: string, fn: (...a: unknown[]) => unknown) => h.appHandlers.set(name, fn),
      getPath: () => h.userData,
      getAppPath: () => '/nonexistent-app',
      getVersion: () => '0.1.0-test',
      quit: vi.fn(),
    },
    BrowserWindow,
    powerMonitor: { on: (name: string, fn: () => void) => h.power.set(name, fn) },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => Buffer.from(`sealed:${s}`),
      decryptString: (b: Buffer) => b.toString().slice('sealed:'.length),
    },
    ipcMain: { handle: (c: string, fn: (...a: unknown[]) => unknown) => h.ipc.set(c, fn) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => h.privileged.push(...s),
      handle: (scheme: string, fn: (req: Request) => Response) => h.protocols.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: (...a: unknown[]) => void) => (h.permission = fn),
        setPermissionCheckHandler: (fn: (...a: unknown[]) => boolean) => (h.permissionCheck = fn),
        webRequest: { onBeforeRequest: (fn: typeof h.beforeRequest) => (h.beforeRequest = fn) },
      },
    },
    dialog: {
      showOpenDialog: vi.fn(),
      showSaveDialog: vi.fn(() =>
        Promise.resolve(h.saveTo ? { canceled: false, filePath: h.saveTo } : { canceled: true, filePath: '' }),
      ),
    },
  };
});

let cleanup: () => void;
beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  h.userData = t.dir;
  process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
  await import('./index');
  await new Promise((r) => setTimeout(r, 20));
});
afterAll(() => {
  delete process.env.ELECTRON_RENDERER_URL;
  h.appHandlers.get('will-quit')?.();
  cleanup();
});

describe('Electron shell', () => {
  it('opens one window with the sandboxed, isolated renderer and the preload bridge', () => {
    expect(h.windows).toHaveLength(1);
    const prefs = h.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.js$/);
  });

  it('loads the renderer from app://, never from an environment variable, with no DevTools, once per machine', () => {
    expect(h.loaded).toEqual(['app://renderer/index.html']);
    const prefs = h.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs.devTools).toBe(false);
    expect(h.singleInstance).toBe(1);
    expect(h.privileged).toContainEqual(
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ secure: true, standard: true }) }),
    );
  });

  it('serves only the renderer’s own files over app://, with the CSP', async () => {
    const handler = h.protocols.get('app')!;
    expect((await handler(new Request('app://renderer/..%2F..%2F..%2Fetc%2Fpasswd'))).status).toBe(404);
    expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('registers a handler for every contract channel, answering only the app’s own main frame', async () => {
    expect([...h.ipc.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
    const own = { senderFrame: { url: 'app://renderer/index.html', parent: null } };
    const res = await h.ipc.get('cases:create')!(own, { code: 'bad name with spaces' });
    expect(res).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const strangers = [
      {},
      { senderFrame: null },
      { senderFrame: { url: 'https://example.com/', parent: null } },
      { senderFrame: { url: 'http://localhost:5173/', parent: null } }, // packaged: no dev server
      { senderFrame: { url: 'file:///etc/passwd', parent: null } },
      { senderFrame: { url: 'app://renderer/index.html', parent: {} } }, // an iframe
    ];
    for (const event of strangers) {
      expect(await h.ipc.get('cases:create')!(event, { code: 'C-1' }), JSON.stringify(event)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
  });

  it('registers the media protocol, which refuses anything but a registered recording', async () => {
    expect(h.privileged).toContainEqual(
      expect.objectContaining({ scheme: 'media', privileges: expect.objectContaining({ stream: true }) }),
    );
    const handler = h.protocols.get('media')!;
    const traversal = await handler(new Request('media://recording/..%2F..%2Fetc%2Fpasswd'));
    expect(traversal.status).toBe(404);
    expect((await handler(new Request('media://recording/42'))).status).toBe(404);
  });

  it('denies new windows, navigation and webviews in every web contents', () => {
    const created = h.appHandlers.get('web-contents-created')!;
    const handlers = new Map<string, (...a: unknown[]) => void>();
    let openHandler: (() => unknown) | null = null;
    created(
      {},
      {
        setWindowOpenHandler: (fn: () => unknown) => (openHandler = fn),
        on: (n: string, fn: (...a: unknown[]) => void) => handlers.set(n, fn),
      },
    );
    expect(openHandler!()).toEqual({ action: 'deny' });
    for (const url of ['https://example.com/', 'http://localhost:5173/', 'file:///etc/passwd']) {
      const nav = { preventDefault: vi.fn() };
      handlers.get('will-navigate')!(nav, url);
      expect(nav.preventDefault, url).toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('grants no permissions and blocks every remote request', () => {
    const granted = vi.fn();
    h.permission!({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(h.permissionCheck!({}, 'media', 'app://renderer')).toBe(false);
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      h.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('https://example.com/tracker.js')).toBe(true);
    expect(decide('http://127.0.0.1:9999/')).toBe(true);
    expect(decide('app://renderer/index.html')).toBe(false);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide('http://localhost:5173/')).toBe(true); // packaged: the dev server is not ours
    expect(decide('media://recording/1')).toBe(false);
  });

  it('saves a report as PDF where the user chooses, printed by a hidden window that runs no script', async () => {
    const own = { senderFrame: { url: 'app://renderer/index.html', parent: null } };
    const created = (await h.ipc.get('cases:create')!(own, { code: 'C-PDF' })) as { ok: true; value: { id: number } };
    const t = tempDir();
    h.saveTo = `${t.dir}/report.pdf`;
    const res = await h.ipc.get('report:savePdf')!(own, { caseId: created.value.id });
    expect(res).toEqual({ ok: true, value: { path: h.saveTo } });
    expect(fs.readFileSync(h.saveTo, 'utf8')).toBe('%PDF-1.7 fake');
    const printer = h.windows.at(-1) as unknown as {
      options: { show: boolean; webPreferences: Record<string, unknown> };
      destroyed: boolean;
    };
    expect(printer.options.show).toBe(false);
    expect(printer.options.webPreferences).toMatchObject({ javascript: false, sandbox: true, nodeIntegration: false });
    expect(printer.destroyed).toBe(true);
    expect(Buffer.from(h.printed.at(-1)!.split(',')[1]!, 'base64').toString()).toContain('Case summary · C-PDF');
    // Cancelled: nothing is written, and the answer says so.
    h.saveTo = null;
    expect(await h.ipc.get('report:savePdf')!(own, { caseId: created.value.id })).toEqual({
      ok: true,
      value: { path: null },
    });
    t.cleanup();
  });

  it('protects the library with the key in the OS keychain; the machine going to sleep locks it and hides the media', async () => {
    const own = { senderFrame: { url: 'app://renderer/index.html', parent: null } };
    const call = (c: string, input: unknown) => h.ipc.get(c)!(own, input) as Promise<{ ok: boolean; value?: unknown }>;
    const sup = (await call('raters:create', { name: 'Shell Supervisor', role: 'supervisor' })) as {
      value: { id: number };
    };
    await call('raters:setCurrent', { id: sup.value.id });
    expect(await call('lock:protect', { passphrase: 'a long enough passphrase', remember: true })).toMatchObject({
      ok: true,
      value: { protected: true, locked: false, remembered: true, canRemember: true },
    });
    expect(fs.readFileSync(`${h.userData}/library-key.keychain`, 'utf8')).toMatch(/^sealed:[0-9a-f]{64}$/);
    h.power.get('suspend')!();
    expect(await call('lock:status', {})).toMatchObject({ ok: true, value: { locked: true } });
    expect(await call('cases:list', {})).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect((await h.protocols.get('media')!(new Request('media://recording/1'))).status).toBe(423);
    expect(await call('lock:unlock', { passphrase: 'a long enough passphrase' })).toMatchObject({
      ok: true,
      value: { locked: false },
    });
    expect(await call('cases:list', {})).toMatchObject({ ok: true });
  });
});
