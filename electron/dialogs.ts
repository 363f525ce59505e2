/** The Electron implementation of the dialog service (native save/open sheets). */
import { BrowserWindow, dialog } from 'electron';
import type { Dialogs } from './services/dialogs';

export function createElectronDialogs(): Dialogs {
  const parent = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  return {
    async chooseSaveFile(options) {
      const window = parent();
      const settings = { title: options.title, defaultPath: options.defaultName, filters: options.filters };
      const result = window ? await dialog.showSaveDialog(window, settings) : await dialog.showSaveDialog(settings);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseOpenFile(options) {
      const window = parent();
      const settings = { title: options.title, filters: options.filters, properties: ['openFile' as const] };
      const result = window ? await dialog.showOpenDialog(window, settings) : await dialog.showOpenDialog(settings);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
