import { create } from 'zustand';
import type { Output } from '../../../src-preload/contract';
import { call, errorMessage } from '../api/client';

type Version = Output<'app.version'>;

interface AppInfoState {
  version: Version | null;
  error: string | null;
  load: () => Promise<void>;
}

export const useAppInfo = create<AppInfoState>((set) => ({
  version: null,
  error: null,
  load: async () => {
    try {
      set({ version: await call((api) => api.app.version()), error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
}));
