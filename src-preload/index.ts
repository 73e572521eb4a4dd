/**
 * The preload: exposes `window.vulnzero` (built from the contract) and nothing else.
 * Never exposes ipcRenderer; strips the Electron event from subscriptions; every
 * subscription returns its unsubscribe function. Bundled to one CommonJS file.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { apiShape, buildApi, IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from './api-shape';
import { electronPathFor } from './file-paths';

interface WireEvent {
  name: string;
  payload: unknown;
}

const api = buildApi(
  apiShape(),
  (channel, input) => ipcRenderer.invoke(IPC_CALL_PREFIX + channel, input),
  (event, listener) => {
    const handler = (_e: IpcRendererEvent, message: WireEvent) => {
      if (message.name === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
  { pathFor: electronPathFor((file) => webUtils.getPathForFile(file)) },
);

contextBridge.exposeInMainWorld('vulnzero', api);
