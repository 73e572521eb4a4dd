import { knownCredentials, useHosts } from '../stores/push';

/** A picker of every stored credential (names and kinds; no secret is ever read). */
export function CredentialSelect({
  value,
  onChange,
  emptyLabel,
  ariaLabel,
}: {
  /** The chosen credential id as a string; '' for none. */
  value: string;
  onChange: (value: string) => void;
  /** What the "no credential" option says. */
  emptyLabel: string;
  /** Needed when no label wraps the select. */
  ariaLabel?: string;
}) {
  const hosts = useHosts((s) => s.hosts);
  const stored = useHosts((s) => s.credentials);
  return (
    <select aria-label={ariaLabel} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{emptyLabel}</option>
      {knownCredentials(hosts, stored).map((c) => (
        <option key={c.id} value={c.id}>
          {c.name} ({c.kind})
        </option>
      ))}
    </select>
  );
}
