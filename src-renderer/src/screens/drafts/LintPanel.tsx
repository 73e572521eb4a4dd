import { STEPS, shortHash, useDrafts, type DraftVersion, type Step } from '../../stores/drafts';

type Lint = DraftVersion['lint'][number];

function toolResult(lint: Lint | undefined, tool: Lint['tool']): { text: string; cls: string } {
  if (!lint) return { text: 'not linted', cls: 'warn-text' };
  if (!lint.ran)
    return {
      text:
        tool === 'shellcheck' ? 'not linted: shellcheck is not installed' : `not linted: ${tool}`,
      cls: 'warn-text',
    };
  if (lint.ok)
    return {
      text: lint.messages.length
        ? `passed (${lint.messages.length} note${lint.messages.length === 1 ? '' : 's'})`
        : 'passed',
      cls: 'ok-text',
    };
  return {
    text: `failed (${lint.messages.length} message${lint.messages.length === 1 ? '' : 's'})`,
    cls: 'error-text',
  };
}

function Messages({ step, lints }: { step: Step; lints: Lint[] }) {
  const messages = lints.flatMap((l) => l.messages.map((m) => ({ ...m, tool: l.tool })));
  if (messages.length === 0) return null;
  return (
    <tr className="lint-messages">
      <td />
      <td colSpan={2}>
        <ul aria-label={`${step} lint messages`}>
          {messages.map((m, i) => (
            <li key={i} className="small">
              <span className="mono">
                {m.tool}
                {m.line !== null ? ` line ${m.line}` : ''}
                {m.code ? ` ${m.code}` : ''}
              </span>{' '}
              <span className={m.level === 'error' ? 'error-text' : 'muted'}>[{m.level}]</span>{' '}
              {m.message}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

/** Lint (sh -n, shellcheck) and policy results of one version, as stored with it. */
export function LintPanel() {
  const detail = useDrafts((s) => s.detail);
  const inspected = useDrafts((s) => s.inspected);
  const inspect = useDrafts((s) => s.inspect);
  if (!detail) return null;
  const version = detail.versions.find((v) => v.version === inspected) ?? detail.versions.at(-1);
  if (!version) return null;
  const policy = version.policy;

  return (
    <section className="card" aria-label="Lint and policy">
      <div className="section-head">
        <h3>Lint and policy</h3>
        <label className="field compact inline-field">
          Version
          <select
            aria-label="Lint and policy of version"
            value={version.version}
            onChange={(e) => inspect(Number(e.target.value))}
          >
            {detail.versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
                {v.version === detail.latestVersion ? ' (latest)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>

      {policy.blocked ? (
        <div className="policy-blocked" data-testid="policy-status">
          <strong>BLOCKED by policy</strong>
          <span className="small">
            {' '}
            — this version cannot be marked ready or approved. Edit the script to remove:
          </span>
          <table className="table compact-table" aria-label="Policy findings">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Step</th>
                <th>Line</th>
                <th>Reason</th>
                <th>Excerpt</th>
              </tr>
            </thead>
            <tbody>
              {policy.findings.map((f, i) => (
                <tr key={i}>
                  <td className="mono small">{f.rule}</td>
                  <td>{f.step}</td>
                  <td>{f.line}</td>
                  <td>{f.reason}</td>
                  <td>
                    <code className="wrap untrusted-inline">{f.excerpt}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="policy-ok" data-testid="policy-status">
          <span className="ok-text">Policy: passed</span>
          {policy.findings.length > 0 ? ` (${policy.findings.length} notes)` : ''}
        </p>
      )}
      <p className="muted small">
        Air-gapped mode {policy.airGapped ? 'on' : 'off'} · policy{' '}
        <span className="mono" title={policy.policyHash}>
          {shortHash(policy.policyHash)}
        </span>{' '}
        · checked {new Date(policy.evaluatedAt).toLocaleString()}
      </p>

      <table className="table compact-table lint-table" aria-label="Lint results">
        <thead>
          <tr>
            <th>Step</th>
            <th>sh -n</th>
            <th>shellcheck</th>
          </tr>
        </thead>
        <tbody>
          {STEPS.map((step) => {
            const lints = version.lint.filter((l) => l.step === step);
            const sh = toolResult(
              lints.find((l) => l.tool === 'sh -n'),
              'sh -n',
            );
            const sc = toolResult(
              lints.find((l) => l.tool === 'shellcheck'),
              'shellcheck',
            );
            return [
              <tr key={step} data-step={step}>
                <td>{step}</td>
                <td className={sh.cls} data-tool="sh -n">
                  {sh.text}
                </td>
                <td className={sc.cls} data-tool="shellcheck">
                  {sc.text}
                </td>
              </tr>,
              <Messages key={`${step}-messages`} step={step} lints={lints} />,
            ];
          })}
        </tbody>
      </table>
    </section>
  );
}
