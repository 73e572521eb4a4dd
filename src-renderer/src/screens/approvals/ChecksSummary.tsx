import { STEPS, shortHash, type DraftVersion } from '../../stores/drafts';

type Lint = DraftVersion['lint'][number];

function lintText(lint: Lint | undefined): { text: string; cls: string } {
  if (!lint) return { text: 'not linted', cls: 'warn-text' };
  if (!lint.ran) return { text: 'not run (tool missing)', cls: 'warn-text' };
  if (lint.ok)
    return {
      text: lint.messages.length ? `passed (${lint.messages.length} notes)` : 'passed',
      cls: 'ok-text',
    };
  return { text: `failed (${lint.messages.length})`, cls: 'error-text' };
}

/** Lint and policy results stored with the version under review. */
export function ChecksSummary({ version }: { version: DraftVersion }) {
  const policy = version.policy;
  const messages = version.lint.flatMap((l) =>
    l.messages.map((m) => ({ ...m, tool: l.tool, step: l.step })),
  );
  return (
    <section className="card" aria-label="Lint and policy results">
      <h3>Lint and policy</h3>
      {policy.blocked ? (
        <div className="policy-blocked" data-testid="approval-policy">
          <strong>BLOCKED by policy</strong>
          <ul className="small">
            {policy.findings.map((f, i) => (
              <li key={i}>
                {f.step} line {f.line}: {f.reason}{' '}
                <code className="untrusted-inline">{f.excerpt}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="policy-ok" data-testid="approval-policy">
          <span className="ok-text">Policy: passed</span>
          {policy.findings.length ? ` (${policy.findings.length} notes)` : ''}
        </p>
      )}
      <p className="muted small">
        Air-gapped mode {policy.airGapped ? 'on' : 'off'} · policy{' '}
        <span className="mono" title={policy.policyHash}>
          {shortHash(policy.policyHash)}
        </span>{' '}
        · checked {new Date(policy.evaluatedAt).toLocaleString()}
      </p>
      <table className="table compact-table" aria-label="Lint of the version">
        <thead>
          <tr>
            <th>Step</th>
            <th>sh -n</th>
            <th>shellcheck</th>
          </tr>
        </thead>
        <tbody>
          {STEPS.map((step) => {
            const sh = lintText(version.lint.find((l) => l.step === step && l.tool === 'sh -n'));
            const sc = lintText(
              version.lint.find((l) => l.step === step && l.tool === 'shellcheck'),
            );
            return (
              <tr key={step} data-step={step}>
                <td>{step}</td>
                <td className={sh.cls}>{sh.text}</td>
                <td className={sc.cls}>{sc.text}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {messages.length > 0 && (
        <ul className="small lint-list" aria-label="Lint messages">
          {messages.map((m, i) => (
            <li key={i}>
              <span className="mono">
                {m.step} {m.tool}
                {m.line !== null ? ` line ${m.line}` : ''}
                {m.code ? ` ${m.code}` : ''}
              </span>{' '}
              [{m.level}] {m.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
