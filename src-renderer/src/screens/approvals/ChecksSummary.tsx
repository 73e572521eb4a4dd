import { ChecksView } from '../../components/ChecksView';
import type { DraftVersion } from '../../stores/drafts';

/** Lint and policy results stored with the version under review. */
export function ChecksSummary({ version }: { version: DraftVersion }) {
  return (
    <section className="card" aria-label="Lint and policy results">
      <h3>Lint and policy</h3>
      <ChecksView
        version={version}
        policyTestId="approval-policy"
        lintLabel="Lint of the version"
        blockedNote="this version cannot be approved."
      />
    </section>
  );
}
