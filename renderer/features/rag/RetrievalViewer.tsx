import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { DEFAULT_TOP_K, MAX_TOP_K, RETRIEVAL_MODE_NAMES, RETRIEVAL_MODES, type CorpusSummary, type RetrievalMode, type RetrievalResult } from '../../../shared/rag/types';
import { api, errorMessage } from '../../lib/api';
import { RetrievalResults } from './RetrievalResults';

/** Ask a question of the corpus and see what each retrieval mode finds, and why. */
export function RetrievalViewer({ corpus }: { corpus: CorpusSummary }) {
  const [question, setQuestion] = useState('');
  const [mode, setMode] = useState<RetrievalMode>(corpus.embeddedCount > 0 ? 'semantic' : 'keyword');
  const [k, setK] = useState(DEFAULT_TOP_K);
  const [result, setResult] = useState<RetrievalResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  async function retrieve(event: React.FormEvent) {
    event.preventDefault();
    if (!question.trim()) return;
    setRunning(true);
    setError(null);
    try {
      setResult(await api.call('rag:retrieve', { corpusId: corpus.id, question, mode, k }));
    } catch (caught) {
      setError(errorMessage(caught));
      setResult(null);
    } finally {
      setRunning(false);
    }
  }

  return (
    <section className="panel retrieval-viewer" aria-label="Retrieval viewer">
      <h3 className="section-title">Try retrieval</h3>
      <form className="retrieval-viewer__form" onSubmit={(event) => void retrieve(event)}>
        <label className="field retrieval-viewer__question">
          <span className="field__label">Question</span>
          <input value={question} onChange={(e) => setQuestion(e.target.value)} placeholder="e.g. How much is the overdraft fee?" maxLength={10_000} />
        </label>
        <label className="field">
          <span className="field__label">Mode</span>
          <select value={mode} onChange={(e) => setMode(e.target.value as RetrievalMode)}>
            {RETRIEVAL_MODES.map((m) => (
              <option key={m} value={m}>
                {RETRIEVAL_MODE_NAMES[m]}
              </option>
            ))}
          </select>
        </label>
        <label className="field retrieval-viewer__k">
          <span className="field__label">Top k</span>
          <input type="number" min={1} max={MAX_TOP_K} value={k} onChange={(e) => setK(Math.max(1, Math.min(MAX_TOP_K, Number(e.target.value) || DEFAULT_TOP_K)))} />
        </label>
        <button type="submit" className="button button--primary" disabled={running || !question.trim()}>
          Retrieve
        </button>
      </form>
      {error && <ErrorBanner message={error} />}
      {result && (
        <>
          <p className="muted retrieval-viewer__summary" role="status">
            {result.chunks.length} passage{result.chunks.length === 1 ? '' : 's'} in {result.elapsedMs} ms · terms: {result.terms.length > 0 ? result.terms.join(', ') : 'none'}
          </p>
          {result.note && <p className="corpus-index__note">{result.note}</p>}
          <RetrievalResults chunks={result.chunks} mode={result.mode} question={result.question} />
        </>
      )}
    </section>
  );
}
