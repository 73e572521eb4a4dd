import { create } from 'zustand';

export const SCREENS = [
  'dashboard',
  'findings',
  'assets',
  'import',
  'feeds',
  'drafts',
  'approvals',
  'push',
  'audit',
  'settings',
] as const;
export type Screen = (typeof SCREENS)[number];
export type Theme = 'dark' | 'light';

const THEME_KEY = 'vulnzero.theme';

function initialTheme(): Theme {
  try {
    return globalThis.localStorage?.getItem(THEME_KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

interface UiState {
  screen: Screen;
  theme: Theme;
  navigate: (screen: Screen) => void;
  setTheme: (theme: Theme) => void;
}

/** Navigation and appearance; domain data lives in each domain's own store. */
export const useUi = create<UiState>((set) => ({
  screen: 'dashboard',
  theme: initialTheme(),
  navigate: (screen) => set({ screen }),
  setTheme: (theme) => {
    try {
      globalThis.localStorage?.setItem(THEME_KEY, theme);
    } catch {
      // Storage can be unavailable (private mode); the theme still applies for the session.
    }
    set({ theme });
  },
}));
