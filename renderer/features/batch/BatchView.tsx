/**
 * The Batches screen: interrupted batches offered to resume, a new batch, past batches, one
 * batch's results; tick two batches to compare them (BatchCompare.tsx).
 */
import { useEffect, useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { api, errorMessage } from '../../lib/api';
import { BatchCompare } from './BatchCompare';
import { BatchResults } from './BatchResults';
import { NewBatch } from './NewBatch';
import './batch.css';

export function BatchView() {
  const [batches, setBatches] = useState<BatchSummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Batches ticked for a comparison (two at most: a third replaces the first ticked). */
  const [ticked, setTicked] = useState<string[]>([]);
  const [comparing, setComparing] = useState<[string, string] | null>(null);

  const refresh = () => api.call('batches:list', {}).then(setBatches, (e: unknown) => setError(errorMessage(e)));
  useEffect(() => {
    void refresh();
    const off = api.on('batch:progress', (p) => {
      setBatches((list) => list.map((b) => (b.id === p.batchId ? { ...b, status: p.status, counts: p.counts, costUsd: p.costUsd } : b)));
    });
    return off;
  }, []);

  const interrupted = batches.filter((b) => b.status === 'interrupted');
  const tick = (id: string, on: boolean) => setTicked((list) => (on ? [...list.filter((x) => x !== id), id].slice(-2) : list.filter((x) => x !== id)));
  const nameOf = (id: string) => batches.find((b) => b.id === id)?.name ?? 'a batch';

  async function resume(id: string) {
    try {
      await api.call('batches:resume', { id });
      setSelected(id);
      await refresh();
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <div className="page batch-page">
      <PageHeader
        title="Batches"
        subtitle="Run a comparison over every row of a dataset, several times, and see what the mitigation changed — with intervals, not anecdotes."
        actions={
          <button type="button" className="button button--primary" onClick={() => setCreating((c) => !c)}>
            {creating ? 'Close' : 'New batch'}
          </button>
        }
      />
      {error && <ErrorBanner message={error} />}
      {interrupted.map((b) => (
        <div key={b.id} className="batch-resume" role="status">
          <span>
            <strong>{b.name}</strong> was interrupted when Parallax closed: {b.counts.completed.toLocaleString()} of {b.counts.total.toLocaleString()} cells are done.
          </span>
          <button type="button" className="button button--small button--primary" onClick={() => void resume(b.id)}>
            Resume
          </button>
        </div>
      ))}
      {creating && (
        <NewBatch
          onStarted={(batch) => {
            setCreating(false);
            setBatches((list) => [batch, ...list.filter((b) => b.id !== batch.id)]);
            setSelected(batch.id);
          }}
        />
      )}
      <div className="batch-layout">
        <div className="batch-side">
          <ul className="batch-list" aria-label="Batches">
            {batches.length === 0 && <li className="muted">No batches yet. Start one with New batch.</li>}
            {batches.map((b) => (
              <li key={b.id} className="batch-list__row">
                <input type="checkbox" className="batch-list__tick" aria-label={`Select ${b.name} to compare`} checked={ticked.includes(b.id)} onChange={(e) => tick(b.id, e.target.checked)} />
                <button type="button" className={`batch-list__item${selected === b.id && !comparing ? ' batch-list__item--open' : ''}`} onClick={() => { setComparing(null); setSelected(b.id); }}>
                  <strong title={b.name}>{b.name}</strong>
                  <span className="muted">
                    {b.counts.completed.toLocaleString()}/{b.counts.total.toLocaleString()} · {b.status}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {batches.length === 1 && <p className="muted batch-compare-hint">Run a second batch (another technique or model) to compare the two.</p>}
          {batches.length > 1 && (
            <div className="batch-compare-bar" role="toolbar" aria-label="Compare batches">
              <span className="muted" role="status">
                {ticked.length === 0 ? 'Tick two batches to compare them.' : ticked.length === 1 ? `${nameOf(ticked[0]!)} ticked: tick one more to compare.` : `${ticked.length} batches ticked.`}
              </span>
              <button type="button" className="button button--small button--primary" disabled={ticked.length !== 2} onClick={() => setComparing([ticked[0]!, ticked[1]!])}>
                Compare 2 batches
              </button>
            </div>
          )}
        </div>
        <div className="batch-main">
          {comparing ? (
            <BatchCompare key={comparing.join(':')} ids={comparing} onClose={() => setComparing(null)} />
          ) : selected ? (
            <BatchResults key={selected} batchId={selected} />
          ) : (
            <p className="muted">Choose a batch, or start a new one. Tick two batches to see what changed between them.</p>
          )}
        </div>
      </div>
    </div>
  );
}
