import { useEffect } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Placeholder } from './screens/Placeholder';
import { useAppInfo } from './stores/app-info';
import { SCREENS, useUi } from './stores/ui';

export function App() {
  const { screen, navigate, theme, setTheme } = useUi();
  const { version, error, load } = useAppInfo();

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">VulnZero</div>
        <ul>
          {SCREENS.map((s) => (
            <li key={s}>
              <button
                type="button"
                className={s === screen ? 'nav-item active' : 'nav-item'}
                aria-current={s === screen ? 'page' : undefined}
                onClick={() => navigate(s)}
              >
                {s.charAt(0).toUpperCase() + s.slice(1)}
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer">
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
        <ErrorBoundary key={screen}>
          <Placeholder screen={screen} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
