/** The Batches screen: interrupted batches offered to resume, a new batch, past batches, one batch's results. */
import { useEffect, useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { api, errorMessage } from '../../lib/api';
import { BatchResults } from './BatchResults';
import { NewBatch } from './NewBatch';
import './batch.css';

export function BatchView() {
  const [batches, setBatches] = useState<BatchSummary[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = () => api.call('batches:list', {}).then(setBatches, (e: unknown) => setError(errorMessage(e)));
  useEffect(() => {
    void refresh();
    const off = api.on('batch:progress', (p) => {
      setBatches((list) => list.map((b) => (b.id === p.batchId ? { ...b, status: p.status, counts: p.counts, costUsd: p.costUsd } : b)));
    });
    return off;
  }, []);

  const interrupted = batches.filter((b) => b.status === 'interrupted');

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
        <ul className="batch-list" aria-label="Batches">
          {batches.length === 0 && <li className="muted">No batches yet.</li>}
          {batches.map((b) => (
            <li key={b.id}>
              <button type="button" className={`batch-list__item${selected === b.id ? ' batch-list__item--open' : ''}`} onClick={() => setSelected(b.id)}>
                <strong>{b.name}</strong>
                <span className="muted">
                  {b.counts.completed.toLocaleString()}/{b.counts.total.toLocaleString()} · {b.status}
                </span>
              </button>
            </li>
          ))}
        </ul>
        <div className="batch-main">{selected ? <BatchResults key={selected} batchId={selected} /> : <p className="muted">Choose a batch, or start a new one.</p>}</div>
      </div>
    </div>
  );
}
