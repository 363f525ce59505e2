/**
 * Start a batch: the comparison open in Compare × a dataset (imported here by drag and drop or a
 * file picker, CSV or JSONL, previewed, its columns mapped to the variables and the reference
 * answer, checked row by row before running) × N repeats, with the chosen scores.
 */
import { useEffect, useMemo, useState, type DragEvent } from 'react';
import { DEFAULT_CONCURRENCY, variablesUsed, type BatchSummary } from '../../../shared/batch';
import type { BatchCheck } from '../../../shared/contract/batch';
import { suggestMapping, type DatasetInspection, type DatasetMapping, type DatasetSummary } from '../../../shared/datasets';
import { SCORABLE_METRIC_IDS } from '../../../shared/scores/metrics';
import { JUDGE_IDS } from '../../../shared/scores/judges';
import { scorerInfo } from '../../../shared/scores/scorers';
import { ErrorBanner } from '../../components/ErrorBanner';
import { api, errorMessage } from '../../lib/api';
import { useAppStore } from '../../stores';

const formatOf = (name: string) => (/\.(jsonl|ndjson)$/i.test(name) ? 'jsonl' : 'csv') as 'csv' | 'jsonl';

export function NewBatch({ onStarted }: { onStarted(batch: BatchSummary): void }) {
  const draft = useAppStore((s) => s.draft);
  const restoreCompare = useAppStore((s) => s.restoreCompare);
  const config = draft?.config ?? null;
  const variables = useMemo(() => (config ? variablesUsed(config) : []), [config]);
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  const [datasetId, setDatasetId] = useState<string | null>(null);
  const [pending, setPending] = useState<{ file: { name: string; text: string }; inspection: DatasetInspection } | null>(null);
  const [preview, setPreview] = useState<{ columns: string[]; rows: string[][]; total: number } | null>(null);
  const [mapping, setMapping] = useState<DatasetMapping>({ variables: {}, reference: null });
  const [repeats, setRepeats] = useState(1);
  const [concurrency, setConcurrency] = useState(DEFAULT_CONCURRENCY);
  const [metrics, setMetrics] = useState<string[]>(['words', 'refusal']);
  const [judges, setJudges] = useState<string[]>([]);
  const [check, setCheck] = useState<BatchCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void restoreCompare(); // the comparison last open in Compare, when Compare was not opened yet
  }, [restoreCompare]);

  useEffect(() => {
    void api.call('datasets:list', {}).then(setDatasets, (e: unknown) => setError(errorMessage(e)));
  }, []);

  const columns = pending?.inspection.columns ?? preview?.columns ?? [];

  async function readFile(file: File) {
    setError(null);
    try {
      const text = await file.text();
      const inspection = await api.call('datasets:inspect', { name: file.name, format: formatOf(file.name), text });
      setPending({ file: { name: file.name, text }, inspection });
      setPreview(null);
      setDatasetId(null);
      setMapping(suggestMapping(inspection.columns, variables));
    } catch (e) {
      setPending(null);
      setError(errorMessage(e));
    }
  }

  async function saveDataset() {
    if (!pending) return;
    setBusy(true);
    try {
      const saved = await api.call('datasets:save', { name: pending.file.name, format: pending.inspection.format, text: pending.file.text, mapping });
      setDatasets((list) => [saved, ...list]);
      setPending(null);
      await choose(saved.id, [saved]);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function choose(id: string | null, list = datasets) {
    setDatasetId(id);
    setPending(null);
    setCheck(null);
    if (!id) return setPreview(null);
    const dataset = list.find((d) => d.id === id);
    try {
      const rows = await api.call('datasets:rows', { id, limit: 10 });
      setPreview(rows);
      const suggested = suggestMapping(rows.columns, variables);
      setMapping({ variables: { ...suggested.variables, ...dataset?.mapping.variables }, reference: dataset?.mapping.reference ?? suggested.reference });
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const request = config
    ? { name: draft?.name || 'Untitled batch', experimentId: draft?.id ?? null, config, datasetId, mapping, repeats, concurrency, scores: { metrics: metrics as never[], judges: judges as never[] } }
    : null;

  useEffect(() => {
    if (!request || pending) return;
    let stale = false;
    const timer = setTimeout(() => {
      api.call('batches:check', request).then(
        (result) => !stale && setCheck(result),
        (e: unknown) => !stale && setError(errorMessage(e)),
      );
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [config, datasetId, mapping, repeats, pending]);

  async function start() {
    if (!request) return;
    setBusy(true);
    setError(null);
    try {
      if (datasetId) await api.call('datasets:set-mapping', { id: datasetId, mapping });
      onStarted(await api.call('batches:start', request));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void readFile(file);
  };

  if (!config) return <p className="muted">Open a comparison in Compare first: a batch runs its arms over every row of a dataset.</p>;

  const rows = pending?.inspection.preview ?? preview?.rows ?? [];
  return (
    <section className="panel batch-new" aria-label="New batch">
      <h2 className="section-title">New batch of “{draft?.name || 'Untitled comparison'}”</h2>
      {error && <ErrorBanner message={error} />}
      <div
        className={`batch-drop${dragging ? ' batch-drop--over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop a CSV or JSONL file here, or</p>
        <label className="button">
          Choose a file…
          <input type="file" accept=".csv,.jsonl,.ndjson,text/csv" hidden aria-label="Dataset file" onChange={(e) => e.target.files?.[0] && void readFile(e.target.files[0])} />
        </label>
        <label className="field batch-drop__saved">
          <span className="field__label">or a saved dataset</span>
          <select aria-label="Saved dataset" value={datasetId ?? ''} onChange={(e) => void choose(e.target.value || null)}>
            <option value="">None: the comparison’s own variables, one row</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.rowCount.toLocaleString()} rows)
              </option>
            ))}
          </select>
        </label>
      </div>

      {columns.length > 0 && (
        <>
          <h3 className="batch-subtitle">
            {pending ? `${pending.file.name}: ${pending.inspection.rowCount.toLocaleString()} rows` : `${preview?.total.toLocaleString()} rows`} — first rows
          </h3>
          <div className="batch-preview" role="region" aria-label="Dataset preview">
            <table>
              <thead>
                <tr>
                  <th>Row</th>
                  {columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((values, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    {values.map((v, j) => (
                      <td key={j}>{v.length > 120 ? `${v.slice(0, 120)}…` : v}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="batch-mapping">
            {variables.map((name) => (
              <label key={name} className="field">
                <span className="field__label">{`\${${name}}`} from</span>
                <select
                  aria-label={`Column for ${name}`}
                  value={mapping.variables[name] ?? ''}
                  onChange={(e) => {
                    const next = { ...mapping.variables };
                    if (e.target.value) next[name] = e.target.value;
                    else delete next[name];
                    setMapping({ ...mapping, variables: next });
                  }}
                >
                  <option value="">(the comparison’s own value)</option>
                  {columns.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
            ))}
            <label className="field">
              <span className="field__label">Reference answer from</span>
              <select aria-label="Reference column" value={mapping.reference ?? ''} onChange={(e) => setMapping({ ...mapping, reference: e.target.value || null })}>
                <option value="">(none)</option>
                {columns.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          </div>
          {pending && (
            <button type="button" className="button button--primary" disabled={busy} onClick={() => void saveDataset()}>
              Save dataset
            </button>
          )}
        </>
      )}

      <div className="batch-settings">
        <label className="field">
          <span className="field__label">Repeats (each arm, each row)</span>
          <input type="number" min={1} max={50} value={repeats} onChange={(e) => setRepeats(Math.max(1, Math.min(50, Number(e.target.value) || 1)))} />
        </label>
        <label className="field">
          <span className="field__label">Calls at once</span>
          <input type="number" min={1} max={32} value={concurrency} onChange={(e) => setConcurrency(Math.max(1, Math.min(32, Number(e.target.value) || 1)))} />
        </label>
        <fieldset className="batch-scores">
          <legend>Scores</legend>
          {SCORABLE_METRIC_IDS.map((id) => (
            <label key={id}>
              <input type="checkbox" checked={metrics.includes(id)} onChange={(e) => setMetrics((m) => (e.target.checked ? [...m, id] : m.filter((x) => x !== id)))} /> {scorerInfo(id).label}
            </label>
          ))}
          {JUDGE_IDS.map((id) => (
            <label key={id} title="A judge model call per arm and row">
              <input type="checkbox" checked={judges.includes(id)} onChange={(e) => setJudges((m) => (e.target.checked ? [...m, id] : m.filter((x) => x !== id)))} /> {scorerInfo(id).label} (judge)
            </label>
          ))}
        </fieldset>
      </div>

      {check && check.total > 0 && (
        <div className="batch-issues" role="alert" aria-label="Problems before running">
          <p>
            Fix {check.total} problem{check.total === 1 ? '' : 's'} before running:
          </p>
          <ul>
            {check.issues.map((issue, i) => (
              <li key={i}>
                {issue.row !== null && <strong>Row {issue.row}</strong>}
                {issue.column && <span className="muted"> · {issue.column}</span>} {issue.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="batch-start">
        <button type="button" className="button button--primary" disabled={busy || !check || check.total > 0 || pending !== null} onClick={() => void start()}>
          Run batch{check ? ` (${check.cells.toLocaleString()} cells)` : ''}
        </button>
        {pending && <span className="muted">Save the dataset first.</span>}
      </div>
    </section>
  );
}
