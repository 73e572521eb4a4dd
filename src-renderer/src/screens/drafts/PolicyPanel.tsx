import { useState } from 'react';
import { Feedback } from '../../components/Feedback';
import { useDrafts, type DraftPolicy, type PolicyInput } from '../../stores/drafts';
import { useVault } from '../../stores/vault';

type ExtraRule = PolicyInput['extraRules'][number];

function checkPattern(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : 'Not a valid regular expression.';
  }
}

function PolicyForm({ policy, admin }: { policy: DraftPolicy; admin: boolean }) {
  const savePolicy = useDrafts((s) => s.savePolicy);
  const busy = useDrafts((s) => s.busy);
  const [airGapped, setAirGapped] = useState(policy.airGapped);
  const [disabled, setDisabled] = useState<string[]>(policy.disabledRules);
  const [extra, setExtra] = useState<ExtraRule[]>(policy.extraRules);
  const [rule, setRule] = useState<ExtraRule>({ name: '', pattern: '', reason: '' });
  const [formError, setFormError] = useState<string | null>(null);

  const toggle = (name: string, enabled: boolean) =>
    setDisabled((d) => (enabled ? d.filter((n) => n !== name) : [...d, name]));
  const addRule = () => {
    const r = { name: rule.name.trim(), pattern: rule.pattern, reason: rule.reason.trim() };
    if (!r.name || !r.pattern || !r.reason)
      return setFormError('A rule needs a name, a pattern and a reason.');
    if (extra.some((x) => x.name === r.name) || policy.builtinRules.some((x) => x.name === r.name))
      return setFormError(`A rule named “${r.name}” already exists.`);
    const bad = checkPattern(r.pattern);
    if (bad) return setFormError(`The pattern is not a valid regular expression: ${bad}`);
    setFormError(null);
    setExtra([...extra, r]);
    setRule({ name: '', pattern: '', reason: '' });
  };

  return (
    <fieldset disabled={!admin || busy} className="policy-form">
      <label className="check">
        <input
          type="checkbox"
          checked={airGapped}
          onChange={(e) => setAirGapped(e.target.checked)}
        />{' '}
        Air-gapped mode (any network download in a script blocks the draft)
      </label>
      <table className="table compact-table" aria-label="Built-in rules">
        <thead>
          <tr>
            <th>On</th>
            <th>Rule</th>
            <th>Blocks a script that…</th>
          </tr>
        </thead>
        <tbody>
          {policy.builtinRules.map((r) => (
            <tr key={r.name}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Rule ${r.name} enabled`}
                  checked={!disabled.includes(r.name)}
                  onChange={(e) => toggle(r.name, e.target.checked)}
                />
              </td>
              <td className="mono small">{r.name}</td>
              <td className="small">
                {r.reason}
                {r.airGappedOnly ? <span className="muted"> (air-gapped mode only)</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Extra rules</h4>
      {extra.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <table className="table compact-table" aria-label="Extra rules">
          <thead>
            <tr>
              <th>Name</th>
              <th>Pattern</th>
              <th>Reason</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {extra.map((r) => (
              <tr key={r.name}>
                <td className="mono small">{r.name}</td>
                <td>
                  <code className="wrap">{r.pattern}</code>
                </td>
                <td className="small">{r.reason}</td>
                <td>
                  <button
                    type="button"
                    className="small-button"
                    onClick={() => setExtra(extra.filter((x) => x.name !== r.name))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="inline-form">
        <label className="field compact">
          Rule name
          <input
            value={rule.name}
            maxLength={60}
            onChange={(e) => setRule({ ...rule, name: e.target.value })}
          />
        </label>
        <label className="field compact grow">
          Pattern (regular expression)
          <input
            className="mono"
            value={rule.pattern}
            maxLength={500}
            spellCheck={false}
            onChange={(e) => setRule({ ...rule, pattern: e.target.value })}
          />
        </label>
        <label className="field compact grow">
          Reason
          <input
            value={rule.reason}
            maxLength={200}
            onChange={(e) => setRule({ ...rule, reason: e.target.value })}
          />
        </label>
        <button type="button" onClick={addRule}>
          Add rule
        </button>
      </div>
      {formError && (
        <p role="alert" className="error-text small">
          {formError}
        </p>
      )}
      <div className="inline-form">
        <button
          type="button"
          className="primary"
          onClick={() => void savePolicy({ airGapped, disabledRules: disabled, extraRules: extra })}
        >
          Save policy
        </button>
        <span className="muted small">
          Existing drafts are checked against the new policy when edited or rechecked.
        </span>
      </div>
    </fieldset>
  );
}

/** The draft policy (deny rules, air-gapped mode); only an admin can change it. */
export function PolicyPanel() {
  const policy = useDrafts((s) => s.policy);
  const loadPolicy = useDrafts((s) => s.loadPolicy);
  const role = useVault((s) => s.operator()?.role);
  const feedback = useDrafts((s) => s.policyFeedback);
  const admin = role === 'admin';
  return (
    <details
      className="card policy-panel"
      aria-label="Draft policy"
      onToggle={(e) => {
        if (e.currentTarget.open) void loadPolicy();
      }}
    >
      <summary>
        <h2 className="inline-heading">Draft policy</h2>{' '}
        <span className="muted small">
          {admin ? 'deny rules and air-gapped mode' : 'read only: an admin changes it'}
        </span>
      </summary>
      {policy ? (
        <PolicyForm key={JSON.stringify(policy)} policy={policy} admin={admin} />
      ) : (
        <p className="muted small">Loading…</p>
      )}
      <Feedback error={feedback.error} message={feedback.message} />
    </details>
  );
}
