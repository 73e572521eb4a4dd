import { ChecksView } from '../../components/ChecksView';
import { useDrafts } from '../../stores/drafts';

/** Lint (sh -n, shellcheck) and policy results of one version, as stored with it. */
export function LintPanel() {
  const detail = useDrafts((s) => s.detail);
  const inspected = useDrafts((s) => s.inspected);
  const inspect = useDrafts((s) => s.inspect);
  if (!detail) return null;
  const version = detail.versions.find((v) => v.version === inspected) ?? detail.versions.at(-1);
  if (!version) return null;

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

      <ChecksView
        version={version}
        policyTestId="policy-status"
        lintLabel="Lint results"
        blockedNote="this version cannot be marked ready or approved. Edit the script to remove:"
      />
    </section>
  );
}
