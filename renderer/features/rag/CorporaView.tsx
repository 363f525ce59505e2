import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import type { ChunkDetail } from '../../../shared/contract/rag';
import { TOKEN_RULE } from '../../../shared/rag/tokens';
import { EMBEDDING_MODELS, type CorpusDetail, type CorpusSummary, type ImportProblem, type IndexProgress } from '../../../shared/rag/types';
import { api, errorMessage } from '../../lib/api';
import { useAppStore } from '../../stores';
import { ChunkText } from './ChunkText';
import { CorpusDialog } from './CorpusDialog';
import { RetrievalViewer } from './RetrievalViewer';
import { pageLabel } from '../../../shared/rag/chunk';
import './rag.css';

const MAX_DROP_BYTES = 30 * 1024 * 1024;
const ACCEPTED = /\.(txt|text|md|markdown|pdf)$/i;

function kilobytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function duration(seconds: number | null): string {
  if (seconds === null) return '…';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}

/** Reads a dropped file's bytes as base64 off the main thread (FileReader). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read "${file.name}".`));
    reader.readAsDataURL(file);
  });
}

export function CorporaView() {
  const [corpora, setCorpora] = useState<CorpusSummary[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detail, setDetail] = useState<CorpusDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'new' | 'edit' | null>(null);
  const [problems, setProblems] = useState<ImportProblem[]>([]);
  const [addedNote, setAddedNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Record<string, IndexProgress>>({});
  const [dragging, setDragging] = useState(false);
  const [focused, setFocused] = useState<(ChunkDetail & { question: string }) | null>(null);
  const focusedBox = useRef<HTMLDivElement | null>(null);
  const focus = useAppStore((s) => s.ragFocus);
  const clearFocus = useAppStore((s) => s.clearRagFocus);
  const selectedRef = useRef<string | null>(null);
  selectedRef.current = selectedId;

  const loadList = useCallback(async () => {
    try {
      const list = await api.call('rag:list', {});
      setCorpora(list);
      setSelectedId((current) => (current && list.some((c) => c.id === current) ? current : (list[0]?.id ?? null)));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);

  const loadDetail = useCallback(async (corpusId: string) => {
    try {
      setDetail(await api.call('rag:get', { corpusId }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, []);

  useEffect(() => {
    void loadList();
    const offChanged = api.on('rag:changed', ({ corpusId }) => {
      void loadList();
      if (corpusId === selectedRef.current) void loadDetail(corpusId);
    });
    const offProgress = api.on('rag:progress', (p) => {
      setProgress((all) => ({ ...all, [p.corpusId]: p }));
      if (p.corpusId === selectedRef.current && (p.finished || p.done % 64 === 0)) void loadDetail(p.corpusId);
    });
    return () => {
      offChanged();
      offProgress();
    };
  }, [loadList, loadDetail]);

  useEffect(() => {
    if (selectedId) void loadDetail(selectedId);
    else setDetail(null);
    setProblems([]);
    setAddedNote(null);
  }, [selectedId, loadDetail]);

  // A citation clicked in an answer: open its corpus and show the passage.
  useEffect(() => {
    if (!focus) return;
    setSelectedId(focus.corpusId);
    api
      .call('rag:chunk', { chunkId: focus.chunkId })
      .then((chunk) => setFocused({ ...chunk, question: focus.question ?? '' }))
      .catch((caught: unknown) => setError(errorMessage(caught)));
    clearFocus();
  }, [focus, clearFocus]);

  // The cited passage opens where the reader is looking, not above the fold.
  useEffect(() => {
    if (focused) focusedBox.current?.scrollIntoView?.({ block: 'nearest' });
  }, [focused]);

  const corpus = detail?.corpus ?? null;
  const job = corpus ? progress[corpus.id] : undefined;
  const indexing = Boolean(job && !job.finished);

  function report(result: { added: { name: string }[]; problems: ImportProblem[] }) {
    setProblems(result.problems);
    setAddedNote(result.added.length > 0 ? `Added ${result.added.map((d) => d.name).join(', ')}.` : null);
  }

  async function addFiles() {
    if (!corpus) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('rag:add-files', { corpusId: corpus.id });
      if (!result.cancelled) report(result);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function drop(files: File[]) {
    if (!corpus || files.length === 0) return;
    const early: ImportProblem[] = [];
    const accepted: File[] = [];
    for (const file of files) {
      if (!ACCEPTED.test(file.name)) early.push({ name: file.name, message: `"${file.name}" is not a file Parallax can read. Add .txt, .md or .pdf files.` });
      else if (file.size > MAX_DROP_BYTES) early.push({ name: file.name, message: `"${file.name}" is ${kilobytes(file.size)}; Parallax adds files up to 30 MB. Split it into smaller files and add those.` });
      else accepted.push(file);
    }
    setBusy(true);
    setError(null);
    try {
      const payload = await Promise.all(accepted.map(async (file) => ({ name: file.name, base64: await readBase64(file) })));
      const result = payload.length > 0 ? await api.call('rag:add-dropped', { corpusId: corpus.id, files: payload }) : { added: [], problems: [] };
      report({ added: result.added, problems: [...early, ...result.problems] });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function addSample() {
    setBusy(true);
    setError(null);
    try {
      const sample = await api.call('rag:add-sample', {});
      await loadList();
      setSelectedId(sample.id);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function exportPack() {
    if (!corpus) return;
    try {
      const result = await api.call('rag:export', { corpusId: corpus.id });
      if (result.path) setAddedNote(`Exported "${corpus.name}" with its vectors (${kilobytes(result.bytes)}).`);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  async function importPack() {
    setError(null);
    try {
      const result = await api.call('rag:import', {});
      if (result.corpus) {
        await loadList();
        setSelectedId(result.corpus.id);
      }
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  async function removeDocument(documentId: string, name: string) {
    if (!corpus || !window.confirm(`Remove "${name}" and its passages from "${corpus.name}"?`)) return;
    try {
      setDetail(await api.call('rag:remove-document', { corpusId: corpus.id, documentId }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  async function removeCorpus() {
    if (!corpus || !window.confirm(`Delete the corpus "${corpus.name}" with its ${corpus.documentCount} documents and their passages? Runs that used it keep their sources.`)) return;
    try {
      await api.call('rag:delete', { corpusId: corpus.id });
      setSelectedId(null);
      await loadList();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  async function index() {
    if (!corpus) return;
    setError(null);
    setProgress((all) => ({ ...all, [corpus.id]: { corpusId: corpus.id, corpusName: corpus.name, done: 0, total: corpus.chunkCount - corpus.embeddedCount, ratePerSecond: null, etaSeconds: null, finished: false, cancelled: false, error: null } }));
    try {
      await api.call('rag:index', { corpusId: corpus.id });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  const needsIndex = corpus ? corpus.embeddedCount < corpus.chunkCount || corpus.staleDocuments > 0 : false;
  const status = useMemo(() => {
    if (!corpus) return '';
    if (corpus.chunkCount === 0) return 'No documents yet.';
    if (corpus.staleDocuments > 0) return `${corpus.staleDocuments} document${corpus.staleDocuments === 1 ? ' was' : 's were'} chunked with other settings: index to re-chunk and re-embed.`;
    if (corpus.embeddedCount === corpus.chunkCount) return `All ${corpus.chunkCount} passages are embedded. Semantic, keyword and hybrid search are ready.`;
    return `${corpus.embeddedCount} of ${corpus.chunkCount} passages embedded. Keyword search works now, offline; semantic search needs the rest indexed.`;
  }, [corpus]);

  return (
    <div className="page corpora">
      <PageHeader
        title="Corpora"
        subtitle="Documents you trust, for grounded answers: add files, index them, and see what retrieval finds."
        actions={
          <>
            <button type="button" className="button" onClick={() => void importPack()} disabled={busy}>
              <Icon name="upload" size={16} /> Import corpus…
            </button>
            <button type="button" className="button" onClick={() => void addSample()} disabled={busy}>
              <Icon name="book" size={16} /> Add the sample handbook
            </button>
            <button type="button" className="button button--primary" onClick={() => setDialog('new')}>
              <Icon name="plus" size={16} /> New corpus
            </button>
          </>
        }
      />
      {error && <ErrorBanner message={error} />}
      {corpora && corpora.length === 0 ? (
        <EmptyState icon="book" title="No corpus yet" action={<button type="button" className="button button--primary" onClick={() => setDialog('new')}>New corpus</button>}>
          A corpus is a set of .txt, .md and .pdf files that a grounded arm answers from. Create one, or add the sample AnyCompany Bank handbook to try the retrieval labs.
        </EmptyState>
      ) : (
        <div className="corpora__layout">
          <nav className="corpora__list" aria-label="Corpora">
            {(corpora ?? []).map((c) => (
              <button key={c.id} type="button" className="corpora__item" aria-current={c.id === selectedId ? 'true' : undefined} onClick={() => setSelectedId(c.id)}>
                <span className="corpora__item-name">{c.name}</span>
                <span className="muted">
                  {c.documentCount} document{c.documentCount === 1 ? '' : 's'} · {c.chunkCount} passages
                </span>
              </button>
            ))}
          </nav>
          {corpus && detail && (
            <section className="corpora__detail" aria-label={`Corpus ${corpus.name}`}>
              <div className="panel corpus-card">
                <header className="corpus-card__header">
                  <div>
                    <h2>{corpus.name}</h2>
                    {corpus.description && <p className="muted">{corpus.description}</p>}
                  </div>
                  <div className="corpus-card__actions">
                    <button type="button" className="button" onClick={() => setDialog('edit')} disabled={indexing}>
                      <Icon name="settings" size={16} /> Settings
                    </button>
                    <button type="button" className="button" onClick={() => void exportPack()} title="A .parallax-corpus file with the vectors, for trainees to retrieve offline">
                      <Icon name="download" size={16} /> Export…
                    </button>
                    <button type="button" className="button button--danger" onClick={() => void removeCorpus()}>
                      <Icon name="trash" size={16} /> Delete
                    </button>
                  </div>
                </header>
                <dl className="facts corpus-card__facts">
                  <div>
                    <dt>Embedding model</dt>
                    <dd>
                      {EMBEDDING_MODELS[corpus.embeddingModel].name}, {corpus.dimensions} dimensions
                    </dd>
                  </div>
                  <div>
                    <dt>Chunks</dt>
                    <dd title={TOKEN_RULE}>
                      {corpus.chunkTokens} tokens, {corpus.chunkOverlap} overlap
                    </dd>
                  </div>
                </dl>
                <p className="field__hint">{TOKEN_RULE}</p>
                <div className="corpus-index" aria-live="polite">
                  <p className="corpus-index__status">{status}</p>
                  {job && !job.finished && (
                    <div className="corpus-index__progress" role="group" aria-label="Indexing progress">
                      <progress max={Math.max(1, job.total)} value={job.done} aria-label={`Embedded ${job.done} of ${job.total}`} />
                      <span>
                        {job.done} / {job.total} passages · {job.ratePerSecond ? `${job.ratePerSecond.toFixed(1)} per second` : 'starting…'} · about {duration(job.etaSeconds)} left
                      </span>
                      <button type="button" className="button" onClick={() => void api.call('rag:cancel-index', { corpusId: corpus.id })}>
                        Cancel
                      </button>
                    </div>
                  )}
                  {job?.finished && job.cancelled && <p className="corpus-index__note">Indexing cancelled after {job.done} passages. What was embedded is kept; press Index to finish.</p>}
                  {job?.finished && job.error && <ErrorBanner message={`Indexing stopped: ${job.error}`} />}
                  {!indexing && needsIndex && corpus.chunkCount > 0 && (
                    <button type="button" className="button button--primary" onClick={() => void index()}>
                      <Icon name="sync" size={16} /> Index{' '}
                      {corpus.staleDocuments > 0 ? 'again' : `${corpus.chunkCount - corpus.embeddedCount} passage${corpus.chunkCount - corpus.embeddedCount === 1 ? '' : 's'}`}
                    </button>
                  )}
                </div>
              </div>

              <div
                className={`panel corpus-drop${dragging ? ' corpus-drop--over' : ''}`}
                onDragOver={(event) => {
                  event.preventDefault();
                  setDragging(true);
                }}
                onDragLeave={() => setDragging(false)}
                onDrop={(event) => {
                  event.preventDefault();
                  setDragging(false);
                  void drop([...event.dataTransfer.files]);
                }}
                aria-label="Drop .txt, .md or .pdf files here"
              >
                <Icon name="upload" size={20} />
                <span>Drop .txt, .md or .pdf files here (up to 30 MB each), or</span>
                <button type="button" className="button" onClick={() => void addFiles()} disabled={busy}>
                  Add files…
                </button>
                {busy && <span className="muted">Reading…</span>}
              </div>
              {addedNote && <p className="corpus-added" role="status">{addedNote}</p>}
              {problems.length > 0 && (
                <div className="corpus-problems" role="alert">
                  <strong>
                    {problems.length} file{problems.length === 1 ? ' was' : 's were'} not added:
                  </strong>
                  <ul>
                    {problems.map((problem, index) => (
                      <li key={index}>{problem.message}</li>
                    ))}
                  </ul>
                </div>
              )}

              {focused && focused.corpusId === corpus.id && (
                <div ref={focusedBox} className="panel corpus-focus" role="region" aria-label="Cited passage">
                  <header className="retrieval-result__header">
                    <strong>Cited passage</strong>
                    <span className="retrieval-result__source">
                      {focused.documentName}
                      {pageLabel(focused.pageStart, focused.pageEnd) && <span className="muted"> · {pageLabel(focused.pageStart, focused.pageEnd)}</span>}
                      <span className="muted"> · passage {focused.position + 1}</span>
                    </span>
                    <button type="button" className="icon-button" aria-label="Close the cited passage" onClick={() => setFocused(null)}>
                      <Icon name="close" size={16} />
                    </button>
                  </header>
                  <ChunkText text={focused.text} question={focused.question} />
                </div>
              )}

              <table className="corpus-documents">
                <caption className="section-title">Documents</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Size</th>
                    <th scope="col">Pages</th>
                    <th scope="col">Passages</th>
                    <th scope="col">Embedded</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {detail.documents.map((document) => (
                    <tr key={document.id}>
                      <td>{document.name}</td>
                      <td>{kilobytes(document.bytes)}</td>
                      <td>{document.pages ?? '—'}</td>
                      <td>{document.chunkCount}</td>
                      <td>
                        {document.embeddedCount} / {document.chunkCount}
                      </td>
                      <td>
                        <button type="button" className="icon-button" aria-label={`Remove ${document.name}`} title="Remove this document and its passages" onClick={() => void removeDocument(document.id, document.name)}>
                          <Icon name="trash" size={16} />
                        </button>
                      </td>
                    </tr>
                  ))}
                  {detail.documents.length === 0 && (
                    <tr>
                      <td colSpan={6} className="muted">
                        No documents yet: drop files above or use “Add files…”.
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>

              <RetrievalViewer corpus={corpus} />
            </section>
          )}
        </div>
      )}
      {dialog && (
        <CorpusDialog
          open
          corpus={dialog === 'edit' ? corpus : null}
          onClose={() => setDialog(null)}
          onSaved={(saved) => {
            setDialog(null);
            void loadList();
            setSelectedId(saved.id);
            void loadDetail(saved.id);
          }}
        />
      )}
    </div>
  );
}
