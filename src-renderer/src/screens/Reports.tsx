import { useCallback, useEffect, useState } from 'react';
import type { RemediationReport, ReportFormat } from '../../../src-preload/reports-schemas';
import { call, errorMessage } from '../api/client';
import { Feedback } from '../components/Feedback';
import { SelectField, TextField } from '../components/Field';
import { useAppInfo } from '../stores/app-info';
import { ReportPreview } from './reports/ReportPreview';

const FORMATS = [
  { value: 'html', label: 'HTML (charts, printable)' },
  { value: 'csv', label: 'CSV' },
  { value: 'json', label: 'JSON' },
] as const;

/**
 * The remediation report for a scope (every asset or a group, a date range): a preview of
 * its figures, saved as the same HTML, CSV or JSON file `vulnzero report` writes, and
 * printable (to PDF) from the app.
 */
export function Reports() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [group, setGroup] = useState('');
  const [format, setFormat] = useState<ReportFormat>('html');
  const [path, setPath] = useState('');
  const [replace, setReplace] = useState(false);
  const [report, setReport] = useState<RemediationReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const scope = useCallback(
    () => ({
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(group.trim() ? { group: group.trim() } : {}),
    }),
    [from, to, group],
  );

  const preview = useCallback(async () => {
    setError(null);
    setBusy(true);
    try {
      setReport(await call((api) => api.reports.figures(scope())));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }, [scope]);

  useEffect(() => {
    void preview();
    // The first preview covers the default scope; later ones follow the button.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Only the desktop app has a native save dialog; asking for it opens it, so the
  // button is shown from the app facts instead of by calling the channel.
  const dialog = useAppInfo((a) => a.version?.electron != null);
  const choose = async () => {
    const chosen = await call((api) => api.reports.chooseSavePath({ format }));
    if (chosen.path) setPath(chosen.path);
  };

  const save = async () => {
    setError(null);
    setMessage(null);
    try {
      const saved = await call((api) =>
        api.reports.save({
          ...scope(),
          format,
          path: path.trim(),
          ...(replace ? { replace } : {}),
        }),
      );
      setMessage(
        `Saved the ${saved.format.toUpperCase()} report to ${saved.path}: ${saved.open} open findings, ${saved.kev} KEV, ${saved.overdue} overdue.`,
      );
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Reports</h1>
      <p className="muted no-print">
        The remediation report for management: open findings by severity and decision, KEV items and
        due dates, SLA and MTTR in the period, push runs and accepted risks. The same numbers as{' '}
        <span className="mono">vulnzero report</span>.
      </p>
      <form
        className="toolbar no-print"
        aria-label="Report scope"
        onSubmit={(e) => {
          e.preventDefault();
          void preview();
        }}
      >
        <TextField label="From" type="date" value={from} onChange={setFrom} />
        <TextField label="To" type="date" value={to} onChange={setTo} />
        <TextField
          label="Asset group"
          value={group}
          onChange={setGroup}
          placeholder="all assets"
          maxLength={200}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Reading…' : 'Preview'}
        </button>
        <button type="button" onClick={() => window.print()} disabled={!report}>
          Print…
        </button>
      </form>
      <form
        className="toolbar no-print"
        aria-label="Save the report"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <SelectField label="Format" value={format} onChange={setFormat} options={FORMATS} />
        <TextField
          label="Save to"
          value={path}
          onChange={setPath}
          placeholder="/media/usb/remediation-report.html"
          maxLength={4096}
          spellCheck={false}
        />
        {dialog && (
          <button type="button" onClick={() => void choose()}>
            Choose…
          </button>
        )}
        <label className="field compact inline">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
          Replace an existing file
        </label>
        <button type="submit" className="primary" disabled={path.trim() === ''}>
          Save report
        </button>
      </form>
      <Feedback error={error} message={message} />
      {report && <ReportPreview report={report} />}
    </section>
  );
}
