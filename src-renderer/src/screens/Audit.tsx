import { useCallback, useEffect, useState } from 'react';
import type { Output } from '../../../src-preload/contract';
import { Feedback } from '../components/Feedback';
import { call, errorMessage } from '../api/client';

type Entry = Output<'audit.list'>[number];
type Verdict = Output<'audit.verify'>;
const PAGE = 100;

/** The audit trail, newest first, with chain verification. Entries are shown as text. */
export function Audit() {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [more, setMore] = useState(true);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadMore = useCallback(async (before?: number) => {
    try {
      const page = await call((api) =>
        api.audit.list({ limit: PAGE, ...(before ? { beforeSeq: before } : {}) }),
      );
      setEntries((prev) => (before ? [...prev, ...page] : page));
      setMore(page.length === PAGE);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void loadMore();
  }, [loadMore]);

  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Audit</h1>
      <div className="toolbar">
        <button
          type="button"
          onClick={() =>
            void call((api) => api.audit.verify()).then(setVerdict, (e: unknown) =>
              setError(errorMessage(e)),
            )
          }
        >
          Verify chain
        </button>
        {verdict && (
          <span role="status" className={verdict.ok ? 'hint ok' : 'hint warn'}>
            {verdict.ok
              ? `Chain intact: ${verdict.entries} entries verify.`
              : `Broken at entry ${verdict.firstBroken?.seq} (position ${verdict.firstBroken?.position}): ${verdict.firstBroken?.reason}.`}
          </span>
        )}
      </div>
      <Feedback error={error} message={null} />
      <table className="table" aria-label="Audit entries">
        <thead>
          <tr>
            <th>#</th>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Object</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{new Date(e.ts).toLocaleString()}</td>
              <td>{e.operatorName}</td>
              <td className="mono">{e.action}</td>
              <td>
                {e.objectType}
                {e.objectId ? ` ${e.objectId}` : ''}
              </td>
              <td className="mono small">{e.summary === '{}' ? '' : e.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && entries.length > 0 && (
        <button type="button" onClick={() => void loadMore(entries.at(-1)?.seq)}>
          Load older entries
        </button>
      )}
    </section>
  );
}
