import { useEffect, useRef, useState, type RefObject } from 'react';
import {
  DECISIONS,
  ASSET_KINDS,
  FINDING_KINDS,
  FINDING_STATUSES,
  SEVERITIES,
  type TriageFilter,
} from '../../../../src-preload/triage-schemas';
import { DEFAULT_FILTER, useFindings } from '../../stores/findings';

const CVE_RE = /^CVE-\d{4}-\d{4,}$/i;
const SEARCH_DEBOUNCE_MS = 400;

type Key = keyof TriageFilter;

/** One select over a multi-valued filter: "any", one value, or the custom set a view or link carried. */
function MultiSelect({
  label,
  any,
  options,
  value,
  onChange,
}: {
  label: string;
  any: string;
  options: readonly string[];
  value: readonly string[] | undefined;
  onChange: (v: string[] | undefined) => void;
}) {
  const current = !value || value.length === 0 ? '' : value.length === 1 ? value[0]! : '*';
  return (
    <label className="field compact">
      {label}
      <select
        aria-label={label}
        value={current}
        onChange={(e) => onChange(e.target.value === '' ? undefined : [e.target.value])}
      >
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o.replace('_', ' ')}
          </option>
        ))}
        {current === '*' && <option value="*">{value?.join(' + ')}</option>}
      </select>
    </label>
  );
}

/** A text filter applied on Enter or when leaving the field (and, for search, while typing). */
function TextFilter({
  label,
  value,
  placeholder,
  debounce,
  validate,
  inputRef,
  onApply,
}: {
  label: string;
  value: string | undefined;
  placeholder?: string;
  debounce?: boolean;
  validate?: (v: string) => string | null;
  inputRef?: RefObject<HTMLInputElement | null>;
  onApply: (v: string | undefined) => void;
}) {
  const [draft, setDraft] = useState(value ?? '');
  const [invalid, setInvalid] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A view, a group or a click-through changed the filter: show it.
  useEffect(() => setDraft(value ?? ''), [value]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const apply = (v: string) => {
    if (timer.current) clearTimeout(timer.current);
    const trimmed = v.trim();
    const problem = trimmed && validate ? validate(trimmed) : null;
    setInvalid(problem);
    if (problem) return;
    if ((trimmed || undefined) !== value) onApply(trimmed || undefined);
  };
  return (
    <label className="field compact">
      {label}
      <input
        ref={inputRef}
        aria-label={label}
        aria-invalid={invalid ? true : undefined}
        placeholder={placeholder}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          if (debounce) {
            if (timer.current) clearTimeout(timer.current);
            const v = e.target.value;
            timer.current = setTimeout(() => apply(v), SEARCH_DEBOUNCE_MS);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply(draft);
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
        onBlur={() => apply(draft)}
      />
      {invalid && <span className="error-text small">{invalid}</span>}
    </label>
  );
}

function describe(key: Key, value: unknown): string {
  if (Array.isArray(value)) return `${key}: ${value.join(', ')}`;
  if (value === true) return key === 'kev' ? 'KEV' : key;
  if (key === 'epssMin') return `EPSS ≥ ${String(value)}`;
  if (key === 'assetId') return `asset #${String(value)}`;
  if (key === 'vulnerabilityId') return `vulnerability #${String(value)}`;
  if (key === 'firstSeenFrom') return `first seen ≥ ${String(value)}`;
  if (key === 'firstSeenTo') return `first seen ≤ ${String(value)}`;
  if (key === 'changedFrom') return `changed ≥ ${String(value)}`;
  if (key === 'changedTo') return `changed ≤ ${String(value)}`;
  if (key === 'expiredSince') return `acceptance expired since ${String(value)}`;
  return `${key}: ${String(value)}`;
}

/** The findings filters; every change reloads the table (and, debounced, the count). */
export function FilterBar({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const filter = useFindings((s) => s.filter);
  const setFilter = useFindings((s) => s.setFilter);
  const replaceFilter = useFindings((s) => s.replaceFilter);
  const facets = useFindings((s) => s.facets);
  const set = (key: Key) => (v: unknown) => setFilter({ [key]: v });
  const isDefault = JSON.stringify(filter) === JSON.stringify(DEFAULT_FILTER);

  return (
    <div className="filters" role="search" aria-label="Filter findings">
      <div className="filter-row">
        <TextFilter
          label="Search findings"
          placeholder="titles, CVEs, assets, components  ( / )"
          value={filter.q}
          debounce
          inputRef={searchRef}
          onApply={set('q')}
        />
        <MultiSelect
          label="Status"
          any="any status"
          options={FINDING_STATUSES}
          value={filter.status}
          onChange={set('status')}
        />
        <MultiSelect
          label="Decision"
          any="any decision"
          options={DECISIONS}
          value={filter.decision}
          onChange={set('decision')}
        />
        <MultiSelect
          label="Severity"
          any="any severity"
          options={SEVERITIES}
          value={filter.severity}
          onChange={set('severity')}
        />
        <MultiSelect
          label="Kind"
          any="any kind"
          options={FINDING_KINDS}
          value={filter.kind}
          onChange={(v) => setFilter({ kind: v })}
        />
        <label className="field inline">
          Asset kind
          <select
            aria-label="Asset kind"
            value={filter.assetKind ?? ''}
            onChange={(e) =>
              setFilter({
                assetKind: e.target.value || undefined,
              })
            }
          >
            <option value="">hosts and software</option>
            {ASSET_KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'host' ? 'hosts only' : 'software only'}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filter.kev === true}
            onChange={(e) => setFilter({ kev: e.target.checked || undefined })}
          />{' '}
          KEV only
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filter.overdue === true}
            onChange={(e) => setFilter({ overdue: e.target.checked || undefined })}
          />{' '}
          Overdue only
        </label>
      </div>
      <div className="filter-row">
        <TextFilter
          label="EPSS at least"
          placeholder="0.1"
          value={filter.epssMin === undefined ? undefined : String(filter.epssMin)}
          validate={(v) => {
            const n = Number(v);
            return Number.isFinite(n) && n >= 0 && n <= 1 ? null : 'A number from 0 to 1';
          }}
          onApply={(v) => setFilter({ epssMin: v === undefined ? undefined : Number(v) })}
        />
        <TextFilter
          label="Asset"
          placeholder="name, IP or MAC"
          value={filter.asset}
          onApply={set('asset')}
        />
        <TextFilter
          label="CVE"
          placeholder="CVE-2024-3094"
          value={filter.cve}
          validate={(v) => (CVE_RE.test(v) ? null : 'A CVE id looks like CVE-2024-3094')}
          onApply={(v) => setFilter({ cve: v?.toUpperCase() })}
        />
        <label className="field compact">
          Scanner
          <select
            aria-label="Scanner"
            value={filter.scanner ?? ''}
            onChange={(e) => setFilter({ scanner: e.target.value || undefined })}
          >
            <option value="">any scanner</option>
            {[
              ...new Set([
                ...(facets?.scanners ?? []),
                ...(filter.scanner ? [filter.scanner] : []),
              ]),
            ].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field compact">
          Tag
          <select
            aria-label="Tag filter"
            value={filter.tag ?? ''}
            onChange={(e) => setFilter({ tag: e.target.value || undefined })}
          >
            <option value="">any tag</option>
            {[...new Set([...(facets?.tags ?? []), ...(filter.tag ? [filter.tag] : [])])].map(
              (t) => (
                <option key={t}>{t}</option>
              ),
            )}
          </select>
        </label>
        <label className="field compact">
          Owner
          <select
            aria-label="Owner filter"
            value={filter.owner ?? ''}
            onChange={(e) => setFilter({ owner: e.target.value || undefined })}
          >
            <option value="">any owner</option>
            {[...new Set([...(facets?.owners ?? []), ...(filter.owner ? [filter.owner] : [])])].map(
              (o) => (
                <option key={o}>{o}</option>
              ),
            )}
          </select>
        </label>
      </div>
      <ul className="chips" aria-label="Active filters">
        {(Object.entries(filter) as [Key, unknown][]).map(([key, value]) => (
          <li key={key} className="chip">
            {describe(key, value)}
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove filter ${describe(key, value)}`}
              onClick={() => setFilter({ [key]: undefined })}
            >
              ×
            </button>
          </li>
        ))}
        {!isDefault && (
          <li>
            <button type="button" className="link" onClick={() => replaceFilter(DEFAULT_FILTER)}>
              Reset filters
            </button>
          </li>
        )}
      </ul>
    </div>
  );
}
