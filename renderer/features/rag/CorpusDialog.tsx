import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { chunkSettingsProblem, DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_TOKENS } from '../../../shared/rag/chunk';
import { TOKEN_RULE } from '../../../shared/rag/tokens';
import { DEFAULT_EMBEDDING_MODEL, EMBEDDING_MODEL_IDS, EMBEDDING_MODELS, type CorpusSummary, type EmbeddingModelId } from '../../../shared/rag/types';
import { api, errorMessage } from '../../lib/api';

/** Create a corpus, or change its name, model and chunking (which marks it for re-indexing). */
export function CorpusDialog(props: { open: boolean; corpus: CorpusSummary | null; onClose(): void; onSaved(corpus: CorpusSummary): void }) {
  const { corpus } = props;
  const [name, setName] = useState(corpus?.name ?? '');
  const [description, setDescription] = useState(corpus?.description ?? '');
  const [model, setModel] = useState<EmbeddingModelId>(corpus?.embeddingModel ?? DEFAULT_EMBEDDING_MODEL);
  const [dimensions, setDimensions] = useState(corpus?.dimensions ?? EMBEDDING_MODELS[DEFAULT_EMBEDDING_MODEL].dimensions[0]!);
  const [size, setSize] = useState(String(corpus?.chunkTokens ?? DEFAULT_CHUNK_TOKENS));
  const [overlap, setOverlap] = useState(String(corpus?.chunkOverlap ?? DEFAULT_CHUNK_OVERLAP));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const allowed = EMBEDDING_MODELS[model].dimensions;
  const chunkProblem = chunkSettingsProblem({ size: Number(size), overlap: Number(overlap) });
  const changesIndex = corpus && (corpus.embeddingModel !== model || corpus.dimensions !== dimensions || corpus.chunkTokens !== Number(size) || corpus.chunkOverlap !== Number(overlap));

  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (chunkProblem) return;
    setSaving(true);
    setError(null);
    try {
      const input = { name, description, embeddingModel: model, dimensions, chunkTokens: Number(size), chunkOverlap: Number(overlap) };
      const saved = corpus ? await api.call('rag:update', { corpusId: corpus.id, ...input }) : await api.call('rag:create', input);
      props.onSaved(saved);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Dialog title={corpus ? `Corpus settings: ${corpus.name}` : 'New corpus'} open={props.open} onClose={props.onClose}>
      <form className="form corpus-form" onSubmit={(event) => void save(event)}>
        {error && <ErrorBanner message={error} />}
        <label className="field">
          <span className="field__label">Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required autoFocus />
        </label>
        <label className="field">
          <span className="field__label">Description (optional)</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
        </label>
        <div className="corpus-form__row">
          <label className="field">
            <span className="field__label">Embedding model</span>
            <select
              value={model}
              onChange={(e) => {
                const next = e.target.value as EmbeddingModelId;
                setModel(next);
                setDimensions(EMBEDDING_MODELS[next].dimensions[0]!);
              }}
            >
              {EMBEDDING_MODEL_IDS.map((id) => (
                <option key={id} value={id}>
                  {EMBEDDING_MODELS[id].name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field__label">Dimensions</span>
            <select value={dimensions} onChange={(e) => setDimensions(Number(e.target.value))} disabled={allowed.length === 1}>
              {allowed.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="corpus-form__row">
          <label className="field">
            <span className="field__label">Chunk size (tokens)</span>
            <input type="number" min={16} max={4096} value={size} onChange={(e) => setSize(e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">Overlap (tokens)</span>
            <input type="number" min={0} value={overlap} onChange={(e) => setOverlap(e.target.value)} />
          </label>
        </div>
        <p className="field__hint">{TOKEN_RULE}</p>
        {chunkProblem && (
          <p className="field__error" role="alert">
            {chunkProblem}
          </p>
        )}
        {changesIndex && <p className="field__hint corpus-form__warning">Saving changes the index: press “Index” afterwards to re-chunk and re-embed. Until then, keyword search uses the old chunks.</p>}
        <div className="form__actions">
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving || Boolean(chunkProblem) || !name.trim()}>
            {corpus ? 'Save' : 'Create corpus'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
