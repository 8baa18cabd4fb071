/**
 * The Electron shell: lifecycle, the one window, and wiring. Kept thin on purpose; everything
 * behind it is plain Node and tested through the browser host.
 */
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { EventMap, EventName } from '../shared/contract';
import { createCore, defaultDataDir, type Core } from './core/app';
import { createHandlers } from './ipc/handlers';
import { registerIpc } from './ipc/register';
import { electronDialogs } from './platform/electron';
import { mediaStream, planMedia } from './protocol/media';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  nodeIntegration: false,
  sandbox: true,
  webSecurity: true,
  spellcheck: false,
} as const;

protocol.registerSchemesAsPrivileged([
  { scheme: 'media', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

function dataDirFromArgs(argv: string[]): string {
  const i = argv.indexOf('--data-dir');
  if (i >= 0 && argv[i + 1]) return path.resolve(argv[i + 1]!);
  return process.env.ALLIANCE_REVIEW_DATA_DIR ? defaultDataDir() : app.getPath('userData');
}

/** better-sqlite3 built for Electron's ABI, kept apart from the Node build that tests use. */
function electronNativeBinding(): string | undefined {
  const candidate = path.join(
    app.getAppPath(),
    'native',
    `electron-${process.versions.electron}`,
    'better_sqlite3.node',
  );
  return fs.existsSync(candidate) ? candidate : undefined;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Alliance Review',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload: path.join(__dirname, '../preload/index.js') },
  });
  win.once('ready-to-show', () => win.show());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(path.join(__dirname, '../renderer/index.html'));
  return win;
}

export function hardenContents(contents: Electron.WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!process.env.ELECTRON_RENDERER_URL || !url.startsWith(process.env.ELECTRON_RENDERER_URL))
      event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

app.on('web-contents-created', (_e, contents) => hardenContents(contents));

void app.whenReady().then(() => {
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => mainWindow?.webContents.send(event, payload);
  core = createCore({ dataDir: dataDirFromArgs(process.argv), nativeBinding: electronNativeBinding(), emit });
  const handlers = createHandlers(
    core,
    electronDialogs(() => mainWindow),
    { host: 'electron', version: app.getVersion() },
  );
  registerIpc(ipcMain, handlers);

  // No permission (camera, microphone, notifications, …) is ever granted to the renderer.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // The app makes no network requests: block everything that is not local.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const local =
      /^(file|media|devtools|data|blob):/.test(details.url) ||
      (process.env.ELECTRON_RENDERER_URL !== undefined && details.url.startsWith(process.env.ELECTRON_RENDERER_URL));
    callback({ cancel: !local });
  });

  const c = core;
  protocol.handle('media', (request) => {
    const url = new URL(request.url);
    const plan = planMedia(c.library, url.pathname.replace(/^\//, ''), request.headers.get('range') ?? undefined);
    if (typeof plan.body === 'string') return new Response(plan.body, { status: plan.status, headers: plan.headers });
    const stream = mediaStream(plan.body);
    return new Response(Readable.toWeb(stream) as ReadableStream, { status: plan.status, headers: plan.headers });
  });

  mainWindow = createWindow();
  mainWindow.on('closed', () => (mainWindow = null));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  core?.close();
  core = null;
});
