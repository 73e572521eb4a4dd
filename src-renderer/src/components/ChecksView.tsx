import { STEPS, shortHash, type DraftVersion } from '../stores/drafts';

type Lint = DraftVersion['lint'][number];
type Policy = DraftVersion['policy'];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What one lint tool said about one step, and the class to show it with. */
export function lintResult(
  lint: Lint | undefined,
  tool: Lint['tool'],
): { text: string; cls: string } {
  if (!lint) return { text: 'not linted', cls: 'warn-text' };
  if (!lint.ran)
    return {
      text:
        tool === 'shellcheck' ? 'not linted: shellcheck is not installed' : `not linted: ${tool}`,
      cls: 'warn-text',
    };
  if (lint.ok)
    return {
      text: lint.messages.length ? `passed (${plural(lint.messages.length, 'note')})` : 'passed',
      cls: 'ok-text',
    };
  return { text: `failed (${plural(lint.messages.length, 'message')})`, cls: 'error-text' };
}

function Messages({ step, lints, span }: { step: Lint['step']; lints: Lint[]; span: number }) {
  const messages = lints.flatMap((l) => l.messages.map((m) => ({ ...m, tool: l.tool })));
  if (messages.length === 0) return null;
  return (
    <tr className="lint-messages">
      <td />
      <td colSpan={span}>
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

const SCRIPT_TOOLS: readonly Lint['tool'][] = ['sh -n', 'shellcheck'];
/** A manifest patch is checked as a diff, by GNU patch, and as the patched manifest. */
const PATCH_TOOLS: readonly Lint['tool'][] = ['diff', 'patch --dry-run', 'manifest'];

/** Per step (or the patch): each tool's result, then their messages. */
function LintTable({ version, label }: { version: DraftVersion; label: string }) {
  const steps: readonly Lint['step'][] = version.patch ? ['patch'] : STEPS;
  const tools = version.patch ? PATCH_TOOLS : SCRIPT_TOOLS;
  return (
    <table className="table compact-table lint-table" aria-label={label}>
      <thead>
        <tr>
          <th>Step</th>
          {tools.map((tool) => (
            <th key={tool}>{tool}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {steps.map((step) => {
          const lints = version.lint.filter((l) => l.step === step);
          const results = tools.map((tool) => ({
            tool,
            ...lintResult(
              lints.find((l) => l.tool === tool),
              tool,
            ),
          }));
          return [
            <tr key={step} data-step={step}>
              <td>{step}</td>
              {results.map((r) => (
                <td key={r.tool} className={r.cls} data-tool={r.tool}>
                  {r.text}
                </td>
              ))}
            </tr>,
            <Messages key={`${step}-messages`} step={step} lints={lints} span={tools.length} />,
          ];
        })}
      </tbody>
    </table>
  );
}

/** BLOCKED with the findings that block, or passed. */
function PolicyResult({
  policy,
  testId,
  blockedNote,
}: {
  policy: Policy;
  testId: string;
  blockedNote?: string;
}) {
  if (!policy.blocked)
    return (
      <p className="policy-ok" data-testid={testId}>
        <span className="ok-text">Policy: passed</span>
        {policy.findings.length > 0 ? ` (${policy.findings.length} notes)` : ''}
      </p>
    );
  return (
    <div className="policy-blocked" data-testid={testId}>
      <strong>BLOCKED by policy</strong>
      {blockedNote ? <span className="small"> — {blockedNote}</span> : null}
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
  );
}

/** The policy verdict, the policy it was checked against, and the lint of every step. */
export function ChecksView({
  version,
  policyTestId,
  lintLabel,
  blockedNote,
}: {
  version: DraftVersion;
  /** data-testid of the policy verdict. */
  policyTestId: string;
  /** Accessible name of the lint table. */
  lintLabel: string;
  /** Said after "BLOCKED by policy". */
  blockedNote?: string;
}) {
  const policy = version.policy;
  return (
    <>
      <PolicyResult policy={policy} testId={policyTestId} blockedNote={blockedNote} />
      <p className="muted small">
        Air-gapped mode {policy.airGapped ? 'on' : 'off'} · policy{' '}
        <span className="mono" title={policy.policyHash}>
          {shortHash(policy.policyHash)}
        </span>{' '}
        · checked {new Date(policy.evaluatedAt).toLocaleString()}
      </p>
      <LintTable version={version} label={lintLabel} />
    </>
  );
}
