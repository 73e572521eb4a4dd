import { create } from 'zustand';
import type { Output } from '../../../src-preload/contract';
import { call, errorMessage } from '../api/client';

type Status = Output<'vault.status'>;
type Operator = NonNullable<Status['operator']>;

interface VaultState {
  status: Status | null;
  busy: boolean;
  error: string | null;
  /** Why the vault was last locked when it was not the operator's doing ("idle"). */
  lockReason: string | null;
  refresh: () => Promise<void>;
  create: (operator: string, passphrase: string) => Promise<boolean>;
  unlock: (operator: string, passphrase: string, totp?: string) => Promise<boolean>;
  lock: () => Promise<void>;
  /** Opens a fresh demo vault of sample data (the real one is locked first). */
  startDemo: () => Promise<boolean>;
  lockedByCore: (reason: string) => void;
  operator: () => Operator | null;
}

export const useVault = create<VaultState>((set, get) => {
  const attempt = async (fn: () => Promise<unknown>): Promise<boolean> => {
    set({ busy: true, error: null });
    try {
      await fn();
      await get().refresh();
      set({ busy: false, lockReason: null });
      return true;
    } catch (error) {
      set({ busy: false, error: errorMessage(error) });
      return false;
    }
  };
  return {
    status: null,
    busy: false,
    error: null,
    lockReason: null,
    refresh: async () => {
      try {
        set({ status: await call((api) => api.vault.status()) });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    create: (operator, passphrase) =>
      attempt(() => call((api) => api.vault.create({ operator, passphrase }))),
    unlock: (operator, passphrase, totp) =>
      attempt(() =>
        call((api) => api.vault.unlock({ operator, passphrase, ...(totp ? { totp } : {}) })),
      ),
    lock: async () => {
      await attempt(() => call((api) => api.vault.lock()));
    },
    startDemo: () => attempt(() => call((api) => api.vault.startDemo())),
    lockedByCore: (reason) => {
      set({ lockReason: reason === 'operator' ? null : reason });
      void get().refresh();
    },
    operator: () => (get().status?.state === 'unlocked' ? (get().status?.operator ?? null) : null),
  };
});
