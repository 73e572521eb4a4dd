import { useEffect, useState } from 'react';
import type { Output } from '../../../../src-preload/contract';
import { call, errorMessage } from '../../api/client';
import { Feedback } from '../../components/Feedback';
import {
  progressText,
  useDrafts,
  type Engine,
  type GenerateJob,
  type GenerateSource,
} from '../../stores/drafts';
import { useUi } from '../../stores/ui';
import { PatchFromManifest } from '../patches/PatchFromManifest';
import { Models } from './Models';

type FindingDetail = Output<'findings.detail'>;

function jobLabel(job: GenerateJob): string {
  const engine = job.engine === 'rules' ? 'rules' : 'local model';
  if ('findingId' in job.source)
    return `Drafting a fix for finding #${job.source.findingId} (${engine})`;
  return `Drafting a fix for ${job.source.title ?? job.source.groupKey} (${engine})`;
}

/** The running generation: progress in tokens and tokens/s for the model, and Cancel. */
function JobBar({ job }: { job: GenerateJob }) {
  const cancel = useDrafts((s) => s.cancel);
  const p = job.progress;
  const ratio = p?.total ? Math.min(1, p.done / p.total) : null;
  return (
    <div className="draft-job" role="status" aria-live="polite" aria-label="Generation">
      <div className="draft-job-title">{jobLabel(job)}</div>
      <div className="job-progress">
        <progress max={1} value={ratio ?? undefined} aria-label="Generation progress" />
        <span className="muted" data-testid="generation-progress">
          {progressText(job)}
        </span>
        <button
          type="button"
          onClick={() => void cancel()}
          disabled={job.jobId === null || job.cancelling}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}

/** The finding queued by "Draft a fix" on the findings screen. */
function QueuedFinding({
  findingId,
  onGenerate,
  busy,
  llmReady,
}: {
  findingId: number;
  onGenerate: (source: GenerateSource, engine: Engine) => void;
  busy: boolean;
  llmReady: boolean;
}) {
  const navigate = useUi((s) => s.navigate);
  const [detail, setDetail] = useState<FindingDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call((api) => api.findings.detail({ id: findingId })).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [findingId]);
  return (
    <section className="card draft-target" aria-label="Finding to fix">
      <h2>Fix for finding #{findingId}</h2>
      <p className="muted small">
        Finding #{findingId} is waiting for a fix draft: generate one with the rules or the local
        model.
      </p>
      {detail ? (
        <p className="small">
          <strong>{detail.row.title}</strong>
          <span className="muted">
            {' '}
            on {detail.asset.displayName}
            {detail.asset.os ? ` (${detail.asset.os})` : ''}
            {detail.row.component
              ? ` · ${detail.row.component}${detail.row.fixedVersion ? ` → ${detail.row.fixedVersion}` : ''}`
              : ''}
          </span>
        </p>
      ) : error ? (
        <p className="error-text small">{error}</p>
      ) : (
        <p className="muted small">Loading the finding…</p>
      )}
      <div className="inline-form">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => onGenerate({ findingId }, 'rules')}
        >
          Generate (rules)
        </button>
        <button
          type="button"
          disabled={busy || !llmReady}
          title={llmReady ? undefined : 'Add a local model first (below).'}
          onClick={() => onGenerate({ findingId }, 'llm')}
        >
          Generate (LLM)
        </button>
        <button type="button" className="link" onClick={() => navigate('findings', { findingId })}>
          Back to finding #{findingId}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => useUi.setState({ draftFindingId: null })}
        >
          Dismiss
        </button>
      </div>
      {!llmReady && (
        <p className="muted small">
          Generate (LLM) needs a local model: see “Local model” below to add a GGUF file.
        </p>
      )}
      {detail?.row.fixedVersion && <PatchFromManifest findingId={findingId} />}
    </section>
  );
}

/** Generate a draft from the queued finding or from a rule group, with rules or the model. */
export function GeneratePanel() {
  const draftFindingId = useUi((s) => s.draftFindingId);
  const groups = useDrafts((s) => s.groups);
  const models = useDrafts((s) => s.models);
  const job = useDrafts((s) => s.job);
  const jobError = useDrafts((s) => s.jobError);
  const jobMessage = useDrafts((s) => s.jobMessage);
  const generate = useDrafts((s) => s.generate);
  const noDrafts = useDrafts((s) => s.list.length === 0 && !s.listLoading);
  const [modelId, setModelId] = useState<number | null>(null);

  // The chosen model, else the first registered one.
  const model = models.find((m) => m.id === modelId) ?? models[0] ?? null;
  const busy = job !== null;
  const run = (source: GenerateSource, engine: Engine) =>
    void generate(source, engine, engine === 'llm' ? model?.id : undefined);

  return (
    <div className="stack draft-generate">
      {draftFindingId !== null && (
        <QueuedFinding
          findingId={draftFindingId}
          onGenerate={run}
          busy={busy}
          llmReady={model !== null}
        />
      )}
      {job && <JobBar job={job} />}
      <div data-testid="generation-outcome">
        <Feedback error={jobError} message={jobMessage} />
      </div>
      {/* Open while there is nothing else to do: no draft yet and no finding queued. */}
      <details className="card" open={draftFindingId === null && noDrafts}>
        <summary>
          <h2 className="inline-heading">Generate from a rule group</h2>{' '}
          <span className="muted small">
            {groups.length} group{groups.length === 1 ? '' : 's'} of open findings a rule can fix
          </span>
        </summary>
        {groups.length === 0 ? (
          <p className="muted small">
            No open finding matches a rule (package updates with a known fixed version on Linux,
            weak SSH or TLS settings). Import scans first, or draft a single finding with the local
            model from its detail on the findings screen.
          </p>
        ) : (
          <div className="draft-groups">
            <table className="table compact-table" aria-label="Rule groups">
              <thead>
                <tr>
                  <th>Group</th>
                  <th>Findings</th>
                  <th>Hosts</th>
                  <th>Generate</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g.groupKey} data-group-key={g.groupKey}>
                    <td>
                      {g.title}
                      <div className="mono small muted wrap">{g.groupKey}</div>
                    </td>
                    <td>{g.findings}</td>
                    <td>{g.hosts}</td>
                    <td className="nowrap">
                      <button
                        type="button"
                        className="small-button"
                        disabled={busy}
                        onClick={() => run({ groupKey: g.groupKey, title: g.title }, 'rules')}
                      >
                        Generate (rules)
                      </button>{' '}
                      <button
                        type="button"
                        className="small-button"
                        disabled={busy || model === null}
                        onClick={() => run({ groupKey: g.groupKey, title: g.title }, 'llm')}
                      >
                        Generate (LLM)
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </details>
      <Models selected={model?.id ?? null} onSelect={setModelId} />
    </div>
  );
}
