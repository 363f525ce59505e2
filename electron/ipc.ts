import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { AppError, type Envelope } from '../shared/errors';
import { CHANNEL_NAMES, type EventName, type PayloadOf } from '../shared/ipc';
import { dispatch } from './dispatch';
import type { EmitEvent, Handlers } from './handlers';

/** Binds every contract channel to ipcMain; only the main frame of our own window may call. */
export function bindIpc(window: BrowserWindow, handlers: Handlers, isAppUrl: (url: string) => boolean): void {
  const isTrusted = (event: IpcMainInvokeEvent) =>
    event.sender === window.webContents &&
    event.senderFrame !== null &&
    event.senderFrame === window.webContents.mainFrame &&
    isAppUrl(event.senderFrame.url);

  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, request: unknown): Promise<Envelope<unknown>> | Envelope<never> => {
      if (!isTrusted(event)) {
        return { ok: false, error: new AppError('invalid_request', 'Request from an untrusted frame was refused.').toShape() };
      }
      return dispatch(handlers, channel, request);
    });
  }
}

export function windowEmitter(window: BrowserWindow): EmitEvent {
  return <E extends EventName>(event: E, payload: PayloadOf<E>) => {
    if (!window.isDestroyed()) window.webContents.send(event, payload);
  };
}
