import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, call, errorMessage, unwrap } from '../../../src-renderer/src/api/client';
import { useAppInfo } from '../../../src-renderer/src/stores/app-info';
import { SCREENS, useUi } from '../../../src-renderer/src/stores/ui';

const g = globalThis as unknown as { vulnzero?: unknown; localStorage?: Storage };

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

afterEach(() => {
  delete g.vulnzero;
  delete g.localStorage;
});

describe('ui store', () => {
  it('navigates between the screens', () => {
    expect(SCREENS).toEqual([
      'dashboard',
      'findings',
      'assets',
      'import',
      'feeds',
      'drafts',
      'approvals',
      'push',
      'reports',
      'operations',
      'audit',
      'settings',
    ]);
    useUi.getState().navigate('findings');
    expect(useUi.getState().screen).toBe('findings');
  });

  it('defaults to the dark theme and remembers the choice', () => {
    g.localStorage = memoryStorage();
    expect(useUi.getState().theme).toBe('dark');
    useUi.getState().setTheme('light');
    expect(useUi.getState().theme).toBe('light');
    expect(g.localStorage.getItem('vulnzero.theme')).toBe('light');
  });
});

describe('api client and app-info store', () => {
  it('unwraps results and throws ApiError with the code', () => {
    expect(unwrap({ ok: true, value: 3 })).toBe(3);
    expect(() =>
      unwrap({ ok: false, error: { code: 'VAULT_LOCKED', message: 'Locked.' } }),
    ).toThrow(ApiError);
    try {
      unwrap({ ok: false, error: { code: 'VAULT_LOCKED', message: 'Locked.' } });
    } catch (e) {
      expect((e as ApiError).code).toBe('VAULT_LOCKED');
      expect(errorMessage(e)).toBe('Locked.');
    }
    expect(errorMessage('x')).toBe('Something went wrong.');
  });

  it('fails clearly when no bridge is present', async () => {
    await expect(call((api) => api.app.version())).rejects.toMatchObject({ code: 'NO_BRIDGE' });
  });

  it('loads the version through the bridge, or records the error', async () => {
    const version = {
      name: 'VulnZero',
      version: '9.9.9',
      node: '20',
      electron: null,
      transport: 'harness' as const,
    };
    g.vulnzero = { app: { version: () => Promise.resolve({ ok: true, value: version }) } };
    await useAppInfo.getState().load();
    expect(useAppInfo.getState()).toMatchObject({ version, error: null });

    g.vulnzero = {
      app: {
        version: () =>
          Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'Core down.' } }),
      },
    };
    await useAppInfo.getState().load();
    expect(useAppInfo.getState().error).toBe('Core down.');
  });
});
