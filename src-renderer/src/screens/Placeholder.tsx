import type { Screen } from '../stores/ui';

const DESCRIPTIONS: Record<Screen, string> = {
  dashboard: 'Open findings by decision and severity, KEV, overdue work and feed freshness.',
  findings: 'Every finding, filtered, grouped and triaged from the keyboard.',
  assets: 'Assets with criticality and exposure.',
  feeds: 'KEV, EPSS, NVD and CVE feeds.',
  import: 'Import scanner exports carried in on removable media.',
  drafts: 'Remediation drafts from rules and the local model, linted and policy-checked.',
  approvals: 'Approve the exact scripts, bound by hash, before anything runs.',
  push: 'Push approved fixes over SSH in waves, verify, roll back.',
  reports: 'The remediation report: preview, save as HTML, CSV or JSON, print.',
  operations: 'Jobs with duration and outcome, and the Health panel.',
  audit: 'The tamper-evident audit trail.',
  settings: 'Operators, keys, backups and preferences.',
};

/** Screens whose core exists but whose view is not built yet (approvals, push). */
export function Placeholder({ screen }: { screen: Screen }) {
  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">{screen.charAt(0).toUpperCase() + screen.slice(1)}</h1>
      <p className="muted">{DESCRIPTIONS[screen]}</p>
      <p className="notice">
        This screen is not built yet; the CLI (`vulnzero approve`, `push run`, `push status`) covers
        it.
      </p>
    </section>
  );
}
