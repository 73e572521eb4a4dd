import { create } from 'zustand';
import type { EventPayload, Output } from '../../../src-preload/contract';
import { bridge, call, errorMessage } from '../api/client';

type Summary = EventPayload<'importFileDone'>['summary'];
type History = Output<'import.history'>;

interface ImportState {
  jobId: string | null;
  progress: EventPayload<'progress'> | null;
  results: Summary[];
  history: History;
  error: string | null;
  finished: string | null;
  start: (paths: string[], format?: string, keepGenericHosts?: boolean) => Promise<void>;
  cancel: () => Promise<void>;
  loadHistory: () => Promise<void>;
  /** Subscribes to the core's import events; returns the unsubscribe function. */
  listen: () => () => void;
}

export const useImports = create<ImportState>((set, get) => ({
  jobId: null,
  progress: null,
  results: [],
  history: [],
  error: null,
  finished: null,
  start: async (paths, format, keepGenericHosts) => {
    set({ error: null, results: [], progress: null, finished: null });
    try {
      const { jobId } = await call((api) =>
        api.import.start({
          paths,
          ...(format ? { format } : {}),
          ...(keepGenericHosts ? { keepGenericHosts: true } : {}),
        }),
      );
      set({ jobId });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  cancel: async () => {
    const { jobId } = get();
    if (jobId) await call((api) => api.jobs.cancel({ jobId }));
  },
  loadHistory: async () => {
    try {
      set({ history: await call((api) => api.import.history({ limit: 50 })) });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  listen: () => {
    const api = bridge();
    const offs = [
      api.events.onProgress((p) => {
        if (p.jobId === get().jobId) set({ progress: p });
      }),
      api.events.onImportFileDone((p) => {
        if (p.jobId === get().jobId) set({ results: [...get().results, p.summary] });
      }),
      api.events.onJobFinished((p) => {
        if (p.jobId !== get().jobId) return;
        set({
          jobId: null,
          progress: null,
          finished:
            p.state === 'cancelled'
              ? 'Import cancelled; the file in progress was rolled back.'
              : p.state === 'failed'
                ? null
                : 'Import finished.',
          error: p.state === 'failed' ? (p.error?.message ?? 'Import failed.') : get().error,
        });
        void get().loadHistory();
      }),
    ];
    return () => offs.forEach((off) => off());
  },
}));
