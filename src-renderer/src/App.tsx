import { useEffect, useRef, type ReactNode } from 'react';
import { bridge } from './api/client';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Approvals } from './screens/Approvals';
import { Assets } from './screens/Assets';
import { Audit } from './screens/Audit';
import { Dashboard } from './screens/Dashboard';
import { Drafts } from './screens/Drafts';
import { Feeds } from './screens/Feeds';
import { Findings } from './screens/Findings';
import { Import } from './screens/Import';
import { Placeholder } from './screens/Placeholder';
import { Push } from './screens/Push';
import { Operations } from './screens/Operations';
import { Reports } from './screens/Reports';
import { Settings } from './screens/Settings';
import { VaultGate } from './screens/VaultGate';
import { useAppInfo } from './stores/app-info';
import { useApprovals } from './stores/approvals';
import { useDrafts } from './stores/drafts';
import { useFindings } from './stores/findings';
import { useHosts, usePush } from './stores/push';
import { SCREENS, useUi, type Screen } from './stores/ui';
import { useVault } from './stores/vault';

function screenFor(screen: Screen): ReactNode {
  switch (screen) {
    case 'settings':
      return <Settings />;
    case 'audit':
      return <Audit />;
    case 'import':
      return <Import />;
    case 'feeds':
      return <Feeds />;
    case 'assets':
      return <Assets />;
    case 'dashboard':
      return <Dashboard />;
    case 'findings':
      return <Findings />;
    case 'drafts':
      return <Drafts />;
    case 'approvals':
      return <Approvals />;
    case 'push':
      return <Push />;
    case 'reports':
      return <Reports />;
    case 'operations':
      return <Operations />;
    default:
      return <Placeholder screen={screen} />;
  }
}

export function App() {
  const { screen, navigate, theme, setTheme } = useUi();
  const { version, error, load } = useAppInfo();
  const { status, refresh, lock, lockedByCore } = useVault();

  useEffect(() => {
    void load();
    void refresh();
    return bridge().events.onVaultLocked(({ reason }) => lockedByCore(reason));
  }, [load, refresh, lockedByCore]);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  const unlocked = status?.state === 'unlocked';
  const operator = unlocked ? status.operator : null;

  const vaultPath = status?.path ?? null;
  // Locking (or switching to or from a demo vault) forgets the findings and drafts held in
  // memory; the next operator and the next vault start clean.
  const lastPath = useRef(vaultPath);
  useEffect(() => {
    const switched = lastPath.current !== null && lastPath.current !== vaultPath;
    lastPath.current = vaultPath;
    if (!unlocked || switched) {
      useFindings.getState().reset();
      useDrafts.getState().reset();
      useApprovals.getState().reset();
      usePush.getState().reset();
      useHosts.getState().reset();
      useUi.setState({ draftFindingId: null });
    }
  }, [unlocked, vaultPath]);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">VulnZero</div>
        <ul>
          {SCREENS.map((s) => (
            <li key={s}>
              <button
                type="button"
                className={s === screen && unlocked ? 'nav-item active' : 'nav-item'}
                aria-current={s === screen && unlocked ? 'page' : undefined}
                disabled={!unlocked}
                onClick={() => navigate(s)}
              >
                {s.charAt(0).toUpperCase() + s.slice(1)}
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer">
          {operator && (
            <div className="operator" data-testid="operator">
              {operator.name} <span className="muted">({operator.role})</span>
            </div>
          )}
          {unlocked && (
            <button type="button" className="lock-button" onClick={() => void lock()}>
              Lock
            </button>
          )}
          <button
            type="button"
            className="link"
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
          >
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
          <div className="version" data-testid="app-version">
            {version ? `v${version.version}` : error ? `core unavailable: ${error}` : '…'}
          </div>
        </div>
      </nav>
      <main className="content">
        {status?.demo && (
          <div className="demo-banner" role="status" data-testid="demo-banner">
            <strong>DEMO VAULT</strong> · sample data only, kept apart from your real vault and
            discarded when you lock it.
            {unlocked && (
              <button type="button" className="link" onClick={() => void lock()}>
                Leave the demo
              </button>
            )}
          </div>
        )}
        {status === null ? (
          <p className="muted">Connecting to the core…</p>
        ) : unlocked ? (
          <ErrorBoundary key={`${status.path}:${screen}`}>{screenFor(screen)}</ErrorBoundary>
        ) : (
          <VaultGate />
        )}
      </main>
    </div>
  );
}
