import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { normalize } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AppError, type Envelope } from '../shared/errors';
import { CHANNEL_NAMES, type EventName, type PayloadOf } from '../shared/ipc';
import { dispatch, type InternalErrorSink } from './dispatch';
import type { EmitEvent, Handlers } from './handlers';

/**
 * Whether `url` is our renderer's index.html. Compared as decoded file paths, not as strings:
 * Chromium and Node escape file URLs differently (spaces, '#', '%', non-ASCII letters), and a
 * string comparison would refuse the app's own window in such a folder.
 */
export function isRendererUrl(url: string, rendererIndex: string, platform: NodeJS.Platform = process.platform): boolean {
  let path: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
    parsed.hash = '';
    parsed.search = '';
    path = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const a = normalize(path);
  const b = normalize(rendererIndex);
  return platform === 'win32' || platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * Binds every contract channel to ipcMain, once for the app's life. Only the main frame of the
 * current window, showing our own renderer, may call (the window may be re-created on macOS).
 */
export function bindIpc(
  ipcMain: IpcMain,
  currentWindow: () => BrowserWindow | null,
  handlers: Handlers,
  isAppUrl: (url: string) => boolean,
  onInternalError?: InternalErrorSink,
  /** Told of every answered call (verbose logging): its channel, time taken and outcome. */
  onAnswered?: (channel: string, ms: number, ok: boolean) => void,
): void {
  const isTrusted = (event: IpcMainInvokeEvent) => {
    const window = currentWindow();
    return (
      window !== null &&
      !window.isDestroyed() &&
      event.sender === window.webContents &&
      event.senderFrame != null &&
      event.senderFrame === window.webContents.mainFrame &&
      isAppUrl(event.senderFrame.url)
    );
  };

  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, request: unknown): Promise<Envelope<unknown>> | Envelope<never> => {
      if (!isTrusted(event)) {
        return { ok: false, error: new AppError('invalid_request', 'Request from an untrusted frame was refused.').toShape() };
      }
      const started = performance.now();
      const answer = dispatch(handlers, channel, request, onInternalError);
      if (onAnswered) void answer.then((envelope) => onAnswered(channel, performance.now() - started, envelope.ok));
      return answer;
    });
  }
}

export function windowEmitter(currentWindow: () => BrowserWindow | null): EmitEvent {
  return <E extends EventName>(event: E, payload: PayloadOf<E>) => {
    const window = currentWindow();
    if (window && !window.isDestroyed()) window.webContents.send(event, payload);
  };
}
