/**
 * One batch: progress (counts, rate, cost, ETA) with pause / resume / cancel / retry failed, the
 * results matrix (rows × arms, repeats folded into a cell with their spread; windowed, fixed row
 * height; filters: failures only, rows where arms disagree, a score range), per-arm statistics with
 * the paired effect of each mitigated arm, and charts. A cell opens its full run.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BatchCell, BatchDetail, BatchProgress, BatchStats } from '../../../shared/batch';
import { distributionChart, scatterChart } from '../../../shared/charts';
import type { RunDetail } from '../../../shared/domain';
import { scorerInfo } from '../../../shared/scores/scorers';
import { BUILT_IN_TECHNIQUES } from '../../../shared/techniques';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RunView } from '../../components/run';
import { api, errorMessage } from '../../lib/api';
import { useFixedWindow } from '../../lib/useFixedWindow';
import { duration, fmt, fmtInterval, pct, usd } from './format';
import { SvgChart } from './SvgChart';

const ROW_HEIGHT = 64;
const TECHNIQUE_NAMES = Object.fromEntries(BUILT_IN_TECHNIQUES.map((t) => [t.id, t.name]));
/** A one-line plain-text glimpse of an answer (its Markdown marks dropped). */
const glimpse = (text: string) => text.replace(/[*_`#>~]+/g, '').replace(/\s+/g, ' ').trim();
const OVERSCAN = 6;
/** Rows drawn before the matrix has measured its height. */
const FIRST_WINDOW = { start: 0, end: 30 };

interface Folded {
  cells: BatchCell[];
  value: number | null;
  min: number | null;
  max: number | null;
  passed: boolean | null;
  failed: boolean;
}

function fold(cells: BatchCell[], scorer: string | null): Folded {
  const values: number[] = [];
  let passes = 0;
  let judged = 0;
  for (const cell of cells) {
    const score = scorer ? cell.scores.find((s) => s.scorer === scorer) : undefined;
    if (score?.value !== null && score?.value !== undefined) values.push(score.value);
    if (score?.passed !== null && score?.passed !== undefined) {
      judged += 1;
      if (score.passed) passes += 1;
    }
  }
  return {
    cells,
    value: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null,
    min: values.length ? Math.min(...values) : null,
    max: values.length ? Math.max(...values) : null,
    passed: judged ? passes * 2 >= judged : null,
    failed: cells.some((c) => c.status === 'failed'),
  };
}

const STATUS_LABEL: Record<BatchCell['status'], string> = { pending: 'Waiting', running: 'Running', completed: 'Done', failed: 'Failed', cancelled: 'Cancelled' };
const BATCH_STATUS_LABEL: Record<BatchDetail['status'], string> = { running: 'Running', paused: 'Paused', interrupted: 'Interrupted', cancelled: 'Cancelled', completed: 'Finished', failed: 'Failed' };

export function BatchResults({ batchId }: { batchId: string }) {
  const [detail, setDetail] = useState<BatchDetail | null>(null);
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [stats, setStats] = useState<BatchStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scorer, setScorer] = useState<string | null>(null);
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [disagree, setDisagree] = useState(false);
  const [min, setMin] = useState('');
  const [max, setMax] = useState('');
  const [openRun, setOpenRun] = useState<RunDetail | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      const next = await api.call('batches:get', { id: batchId });
      setDetail(next);
      setStats(await api.call('batches:stats', { id: batchId }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [batchId]);

  useEffect(() => {
    setDetail(null);
    setProgress(null);
    setStats(null);
    void load();
    const offCells = api.on('batch:cells', (payload) => {
      if (payload.batchId !== batchId) return;
      setDetail((current) => {
        if (!current) return current;
        const index = new Map(payload.cells.map((c) => [`${c.row}:${c.repeat}:${c.arm}`, c]));
        return { ...current, cells: current.cells.map((c) => index.get(`${c.row}:${c.repeat}:${c.arm}`) ?? c) };
      });
    });
    const offProgress = api.on('batch:progress', (payload) => {
      if (payload.batchId !== batchId) return;
      setProgress(payload);
      if (payload.counts.pending === 0 && payload.counts.running === 0) void api.call('batches:stats', { id: batchId }).then(setStats, () => {});
    });
    return () => {
      offCells();
      offProgress();
    };
  }, [batchId, load]);

  const scorers = useMemo(() => {
    const ids = new Set<string>();
    for (const cell of detail?.cells ?? []) for (const s of cell.scores) ids.add(s.scorer);
    return [...ids].sort();
  }, [detail]);
  const shown = scorer ?? scorers[0] ?? null;

  const matrix = useMemo(() => {
    if (!detail) return [];
    const byRow = new Map<number, BatchCell[][]>();
    for (const cell of detail.cells) {
      let arms = byRow.get(cell.row);
      if (!arms) {
        arms = detail.armLabels.map(() => []);
        byRow.set(cell.row, arms);
      }
      arms[cell.arm]!.push(cell);
    }
    return detail.rows.map((row) => ({ row, arms: (byRow.get(row.row) ?? []).map((cells) => fold(cells, shown)) }));
  }, [detail, shown]);

  const filtered = useMemo(() => {
    const lo = min === '' ? -Infinity : Number(min);
    const hi = max === '' ? Infinity : Number(max);
    return matrix.filter(({ arms }) => {
      if (failuresOnly && !arms.some((a) => a.failed)) return false;
      if (disagree) {
        const passes = arms.map((a) => a.passed).filter((p) => p !== null);
        const values = arms.map((a) => a.value).filter((v): v is number => v !== null);
        const differ = new Set(passes).size > 1 || (values.length > 1 && Math.max(...values) - Math.min(...values) > 1e-9);
        if (!differ) return false;
      }
      if (min !== '' || max !== '') {
        if (!arms.some((a) => a.value !== null && a.value >= lo && a.value <= hi)) return false;
      }
      return true;
    });
  }, [matrix, failuresOnly, disagree, min, max]);

  const { start, end } = useFixedWindow(scroller, filtered.length, ROW_HEIGHT, OVERSCAN, FIRST_WINDOW);

  async function act(channel: 'batches:pause' | 'batches:resume' | 'batches:cancel' | 'batches:retry-failed') {
    setError(null);
    try {
      await api.call(channel, { id: batchId });
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function exportReport() {
    setError(null);
    try {
      const result = await api.call('batches:export-report', { id: batchId });
      setNotice(result.status === 'done' ? `Report saved to ${result.path}` : null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function openCell(cell: BatchCell) {
    if (!cell.runId) return;
    try {
      setOpenRun(await api.call('runs:get', { id: cell.runId }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (!detail) return error ? <ErrorBanner message={error} /> : <p className="muted">Loading the batch…</p>;
  const counts = progress?.counts ?? detail.counts;
  const status = progress?.status ?? detail.status;
  const done = counts.completed + counts.failed + counts.cancelled;
  const info = shown ? scorerInfo(shown) : null;
  const gridColumns = `12rem repeat(${detail.armLabels.length}, minmax(10rem, 1fr))`;

  return (
    <section className="batch-results" aria-label={`Batch ${detail.name}`}>
      {error && <ErrorBanner message={error} />}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      <div className="batch-progress panel">
        <div className="batch-progress__head">
          <strong>{detail.name}</strong>
          <span className={`batch-status batch-status--${status}`}>{BATCH_STATUS_LABEL[status]}</span>
          <span className="muted">
            {detail.datasetName ?? 'No dataset'} · {detail.rowCount.toLocaleString()} rows × {detail.armLabels.length} arms × {detail.repeats} repeat{detail.repeats === 1 ? '' : 's'}
          </span>
        </div>
        <progress max={counts.total} value={done} aria-label="Batch progress" />
        <p className="batch-progress__figures" aria-label="Batch figures">
          <span>
            {counts.completed.toLocaleString()} of {counts.total.toLocaleString()} done
          </span>
          {counts.failed > 0 && <span className="batch-bad">{counts.failed} failed</span>}
          {counts.cancelled > 0 && <span>{counts.cancelled} cancelled</span>}
          {counts.running > 0 && <span>{counts.running} running</span>}
          <span>{progress?.perMinute ? `${Math.round(progress.perMinute)} per minute` : '—'}</span>
          <span>cost so far {usd(progress?.costUsd ?? detail.costUsd)}</span>
          {status === 'running' && <span>about {duration(progress?.etaMs ?? null)} left</span>}
          {progress && progress.throttled > 0 && <span className="muted">Bedrock throttled {progress.throttled}×; now {progress.concurrency} at once</span>}
        </p>
        <div className="batch-actions">
          {status === 'running' && (
            <button type="button" className="button button--small" onClick={() => void act('batches:pause')}>
              Pause
            </button>
          )}
          {(status === 'paused' || status === 'interrupted') && (
            <button type="button" className="button button--small button--primary" onClick={() => void act('batches:resume')}>
              Resume
            </button>
          )}
          {(status === 'running' || status === 'paused' || status === 'interrupted') && (
            <button type="button" className="button button--small button--danger" onClick={() => void act('batches:cancel')}>
              Cancel
            </button>
          )}
          <button type="button" className="button button--small" onClick={() => void exportReport()}>
            Export HTML report
          </button>
          {(status === 'completed' || status === 'cancelled' || status === 'failed') && counts.failed + counts.cancelled > 0 && (
            <button type="button" className="button button--small" onClick={() => void act('batches:retry-failed')}>
              Retry {counts.failed + counts.cancelled} failed or cancelled
            </button>
          )}
        </div>
      </div>

      {stats && <BatchStatsView stats={stats} />}

      <div className="batch-filters" role="group" aria-label="Filters">
        <label className="field">
          <span className="field__label">Score shown</span>
          <select aria-label="Score shown" value={shown ?? ''} onChange={(e) => setScorer(e.target.value || null)}>
            {scorers.length === 0 && <option value="">(no scores yet)</option>}
            {scorers.map((id) => (
              <option key={id} value={id}>
                {scorerInfo(id).label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={failuresOnly} onChange={(e) => setFailuresOnly(e.target.checked)} /> Failures only
        </label>
        <label>
          <input type="checkbox" checked={disagree} onChange={(e) => setDisagree(e.target.checked)} /> Rows where arms disagree
        </label>
        <label className="field batch-range">
          <span className="field__label">{info?.label ?? 'Score'} from</span>
          <input aria-label="Score at least" inputMode="decimal" value={min} onChange={(e) => setMin(e.target.value)} placeholder="min" />
        </label>
        <label className="field batch-range">
          <span className="field__label">to</span>
          <input aria-label="Score at most" inputMode="decimal" value={max} onChange={(e) => setMax(e.target.value)} placeholder="max" />
        </label>
        <span className="muted" aria-live="polite">
          {filtered.length.toLocaleString()} of {matrix.length.toLocaleString()} rows
        </span>
      </div>

      <div className="batch-matrix" role="table" aria-label="Results matrix" aria-rowcount={filtered.length + 1}>
        <div className="batch-matrix__head" role="row" style={{ gridTemplateColumns: gridColumns }}>
          <span role="columnheader">Row</span>
          {detail.armLabels.map((label, i) => (
            <span role="columnheader" key={i} title={`Arm ${i + 1}`}>
              {i === 0 ? `${label} (baseline)` : label}
            </span>
          ))}
        </div>
        <div className="batch-matrix__body" ref={scroller}>
          <div style={{ height: filtered.length * ROW_HEIGHT, position: 'relative' }}>
            {filtered.slice(start, end).map(({ row, arms }, i) => (
              <div key={row.row} role="row" className="batch-matrix__row" style={{ top: (start + i) * ROW_HEIGHT, height: ROW_HEIGHT, gridTemplateColumns: gridColumns }}>
                <span role="cell" className="batch-matrix__rowhead" title={row.variables.map((v) => `${v.name} = ${v.value}`).join('\n')}>
                  <strong>Row {row.row + 1}</strong> <span className="muted">{row.variables.map((v) => v.value).join(' · ').slice(0, 60)}</span>
                </span>
                {arms.map((arm, a) => (
                  <button
                    key={a}
                    type="button"
                    role="cell"
                    className={`batch-cell batch-cell--${arm.failed ? 'failed' : (arm.cells[0]?.status ?? 'pending')}`}
                    onClick={() => {
                      const target = arm.cells.find((c) => c.runId) ?? null;
                      if (target) void openCell(target);
                    }}
                    aria-label={`Row ${row.row + 1}, ${detail.armLabels[a]}`}
                  >
                    <span className="batch-cell__score">
                      {arm.value !== null && info ? info.format(arm.value) : STATUS_LABEL[arm.failed ? 'failed' : (arm.cells[0]?.status ?? 'pending')]}
                      {arm.cells.length > 1 && arm.min !== null && arm.max !== null && arm.max > arm.min && (
                        <span className="muted"> ({fmt(arm.min)}–{fmt(arm.max)} over {arm.cells.length})</span>
                      )}
                    </span>
                    <span className="batch-cell__preview">{arm.failed ? (arm.cells.find((c) => c.error)?.error ?? '') : glimpse(arm.cells[0]?.preview ?? '')}</span>
                  </button>
                ))}
              </div>
            ))}
          </div>
        </div>
      </div>

      <Dialog title={openRun?.title ?? 'Run'} open={openRun !== null} onClose={() => setOpenRun(null)}>
        {openRun && <RunView run={openRun} readOnly techniqueNames={TECHNIQUE_NAMES} />}
      </Dialog>
    </section>
  );
}

function BatchStatsView({ stats }: { stats: BatchStats }) {
  const baseline = stats.arms[0];
  const scorers = [...new Set(stats.arms.flatMap((a) => a.scores.map((s) => s.scorer)))];
  return (
    <div className="batch-stats panel" aria-label="Statistics">
      <h3 className="section-title">Statistics</h3>
      <table className="batch-stats__table">
        <thead>
          <tr>
            <th>Arm</th>
            <th>Score</th>
            <th>Mean</th>
            <th>Median</th>
            <th>95 % interval</th>
            <th>n</th>
          </tr>
        </thead>
        <tbody>
          {stats.arms.flatMap((arm) =>
            arm.scores.map((s) => (
              <tr key={`${arm.arm}:${s.scorer}`}>
                <td>{arm.label}</td>
                <td>
                  {s.label}
                  {s.higherIsBetter !== null && <span className="muted"> ({s.higherIsBetter ? 'higher' : 'lower'} is better)</span>}
                </td>
                {s.kind === 'pass' ? (
                  <>
                    <td colSpan={2}>pass rate {pct(s.pass?.rate)}</td>
                    <td>{s.pass?.interval ? `${pct(s.pass.interval.low)} to ${pct(s.pass.interval.high)} (Wilson)` : '—'}</td>
                    <td>{s.pass?.n ?? 0}</td>
                  </>
                ) : (
                  <>
                    <td>{fmt(s.numeric?.mean)}</td>
                    <td>{fmt(s.numeric?.median)}</td>
                    <td>{fmtInterval(s.numeric?.interval)} (bootstrap)</td>
                    <td>{s.numeric?.n ?? 0}</td>
                  </>
                )}
              </tr>
            )),
          )}
        </tbody>
      </table>
      <ul className="batch-effects" aria-label="Effects of the mitigations">
        {stats.arms.flatMap((arm) => arm.effects.map((e) => <li key={`${arm.arm}:${e.scorer}`}>{e.sentence}</li>))}
      </ul>
      <div className="batch-charts">
        {scorers
          .filter((id) => stats.arms.some((a) => a.scores.find((s) => s.scorer === id)?.kind === 'numeric'))
          .map((id) => (
            <SvgChart
              key={`d:${id}`}
              tree={distributionChart(
                stats.arms.map((a) => ({ label: a.label, values: a.scores.find((s) => s.scorer === id)?.values ?? [] })),
                { title: `${scorerInfo(id).label} per arm` },
              )}
            />
          ))}
        {baseline &&
          stats.arms.slice(1).flatMap((arm) =>
            arm.effects
              .filter((e) => e.kind === 'numeric' && e.pairs.length > 0)
              .map((e) => (
                <SvgChart key={`s:${arm.arm}:${e.scorer}`} tree={scatterChart(e.pairs, { title: `${e.label}: ${arm.label} vs baseline`, xLabel: baseline.label, yLabel: arm.label })} />
              )),
          )}
      </div>
    </div>
  );
}
