/** Electron implementations of the platform interfaces. */
import { BrowserWindow, dialog, safeStorage } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import type { Dialogs, KeyStore } from './types';
import { writeOutput } from '../files/output';

export function electronDialogs(getWindow: () => BrowserWindow | null, dataDir: string): Dialogs {
  return {
    async openMedia() {
      const win = getWindow();
      const options: Electron.OpenDialogOptions = {
        title: 'Import recordings',
        properties: ['openFile', 'multiSelections'],
        filters: [
          {
            name: 'Recordings',
            extensions: ['mp4', 'm4v', 'mov', 'webm', 'mkv', 'm4a', 'aac', 'mp3', 'wav', 'ogg', 'opus', 'flac'],
          },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : result.filePaths;
    },
    async openPackages(multiple) {
      const win = getWindow();
      const options: Electron.OpenDialogOptions = {
        title: multiple ? 'Import returned packages' : 'Open a package or a supervision file',
        properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
        filters: [
          { name: 'Alliance Review packages and supervision files', extensions: ['arpkg', 'arsup'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : result.filePaths;
    },
    async savePackage(suggestedName) {
      const win = getWindow();
      const options: Electron.SaveDialogOptions = {
        title: suggestedName.endsWith('.arsup') ? 'Save the supervision file' : 'Save the package',
        defaultPath: suggestedName,
        // The file's own kind first (a save dialog may add the first filter's extension).
        filters: suggestedName.endsWith('.arsup')
          ? [{ name: 'Alliance Review supervision files', extensions: ['arsup'] }]
          : [{ name: 'Alliance Review packages', extensions: ['arpkg'] }],
      };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async savePdf(html, suggestedName) {
      const win = getWindow();
      const options: Electron.SaveDialogOptions = {
        title: 'Save the report as PDF',
        defaultPath: suggestedName,
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return null;
      // A hidden window that runs no script draws the report's own page, then prints it.
      const printer = new BrowserWindow({
        show: false,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
      });
      try {
        await printer.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`);
        const pdf = await printer.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
        // Through the one output writer: never over the library's own files, no half a PDF.
        writeOutput(result.filePath, { what: 'the report', dataDir }, (tmp) => fs.writeFileSync(tmp, pdf));
        return result.filePath;
      } finally {
        printer.destroy();
      }
    },
  };
}

/**
 * The OS keychain through Electron's safeStorage (Keychain on macOS, DPAPI on Windows, the
 * Secret Service or KWallet on Linux). On Linux without one, safeStorage would fall back to a
 * fixed password known to everyone ("basic_text"): then nothing is remembered.
 */
export function electronKeyStore(): KeyStore {
  const file = (dataDir: string) => path.join(dataDir, 'library-key.keychain');
  return {
    available() {
      if (!safeStorage.isEncryptionAvailable()) return false;
      return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
    },
    load(dataDir) {
      let sealed: Buffer;
      try {
        sealed = fs.readFileSync(file(dataDir));
      } catch {
        return null;
      }
      return Buffer.from(safeStorage.decryptString(sealed), 'hex');
    },
    save(dataDir, key) {
      fs.writeFileSync(file(dataDir), safeStorage.encryptString(key.toString('hex')), { mode: 0o600 });
    },
    forget(dataDir) {
      fs.rmSync(file(dataDir), { force: true });
    },
  };
}
