import { create } from 'zustand';
import type { TriageFilter } from '../../../src-preload/triage-schemas';
import { useFindings } from './findings';

export const SCREENS = [
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
] as const;
export type Screen = (typeof SCREENS)[number];
export type Theme = 'dark' | 'light';

/** What a click-through carries to the screen it opens. */
export interface NavigateParams {
  /** Findings: replaces the table's filter. */
  filter?: TriageFilter;
  /** Findings: opens this finding's detail. Drafts: the finding to draft a fix for. */
  findingId?: number;
}

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
  /** The finding the operator asked a fix draft for (the drafts screen picks it up). */
  draftFindingId: number | null;
  navigate: (screen: Screen, params?: NavigateParams) => void;
  setTheme: (theme: Theme) => void;
}

/** Navigation and appearance; domain data lives in each domain's own store. */
export const useUi = create<UiState>((set) => ({
  screen: 'dashboard',
  theme: initialTheme(),
  draftFindingId: null,
  navigate: (screen, params) => {
    if (screen === 'findings') {
      const findings = useFindings.getState();
      if (params?.filter) findings.replaceFilter(params.filter);
      if (params?.findingId !== undefined) void findings.openDetail(params.findingId);
    }
    if (screen === 'drafts' && params?.findingId !== undefined)
      set({ draftFindingId: params.findingId });
    set({ screen });
  },
  setTheme: (theme) => {
    try {
      globalThis.localStorage?.setItem(THEME_KEY, theme);
    } catch {
      // Storage can be unavailable (private mode); the theme still applies for the session.
    }
    set({ theme });
  },
}));
