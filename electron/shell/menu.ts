/**
 * The application menu, built from roles on every platform (so Cut/Copy/Paste/Undo/Quit and
 * their shortcuts work everywhere), plus the app's own commands. Only types from electron:
 * the template is plain data that tests read.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../shared/contract/app';

export interface MenuActions {
  /** Sends one of the app's commands to the renderer (the `app:command` event). */
  command(command: AppCommand): void;
  /** Help > Reveal logs: shows the log file in the file manager. */
  revealLogs(): void;
  /** Help > Open data folder. */
  revealData(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** DevTools (and Reload) only in development or with the debug setting. */
  devTools: boolean;
}

export function menuTemplate(options: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const settings: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.command('settings'),
  };
  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      settings,
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New comparison', accelerator: 'CmdOrCtrl+N', click: () => actions.command('new-comparison') },
      { type: 'separator' },
      { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => actions.command('import') },
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.command('export') },
      ...(mac ? [{ type: 'separator' } as const, { role: 'close' } as const] : [{ type: 'separator' } as const, settings, { type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.devTools ? [{ role: 'reload' } as const, { role: 'toggleDevTools' } as const, { type: 'separator' } as const] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    label: '&Window',
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      { label: 'Reveal logs', click: () => actions.revealLogs() },
      { label: 'Open data folder', click: () => actions.revealData() },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about' } as const]),
    ],
  };
  return [...(mac ? [appMenu] : []), file, edit, view, windowMenu, help];
}
