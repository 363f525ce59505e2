import { contextBridge, ipcRenderer } from 'electron';
import { AppError } from '../shared/errors';
import { isChannel, isEventName, type ParallaxBridge } from '../shared/ipc';

/** The renderer's only door: a typed client of the contract, never raw ipcRenderer. */
const bridge: ParallaxBridge = {
  invoke(channel, request) {
    if (!isChannel(channel)) {
      return Promise.resolve({ ok: false, error: new AppError('invalid_request', 'Unknown channel.').toShape() });
    }
    return ipcRenderer.invoke(channel, request);
  },
  on(event, listener) {
    if (!isEventName(event)) return () => undefined;
    const wrapped = (_: Electron.IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
};

contextBridge.exposeInMainWorld('parallax', bridge);
