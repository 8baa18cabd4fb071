/** Electron implementations of the platform interfaces. */
import { dialog, type BrowserWindow } from 'electron';
import type { Dialogs } from './types';

export function electronDialogs(getWindow: () => BrowserWindow | null): Dialogs {
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
  };
}
