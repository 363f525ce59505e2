/**
 * Editors of the grounding steps (issue 11). Retrieve: which corpus, how to search (semantic,
 * keyword, hybrid), how many passages, and the grounded-answer instruction. Clarify: which model
 * decides whether the question needs a follow-up. Messages say what is missing and how to fix it;
 * the arm-level checks (a clarify step needs a retrieve step above it) come from the resolver.
 */
import './steps.css';
import { useEffect, useState } from 'react';
import { DEFAULT_TOP_K, MAX_TOP_K, RETRIEVAL_MODE_NAMES, RETRIEVAL_MODES, type CorpusSummary, type RetrievalMode } from '../../../shared/rag/types';
import { GROUNDED_INSTRUCTION } from '../../../shared/steps/kinds/retrieve';
import { CLARIFY_SYSTEM_PROMPT } from '../../../shared/steps/kinds/clarify';
import { useCorpora } from '../../features/rag/useCorpora';
import { useAppStore } from '../../stores';
import type { EditorProps } from './editor-types';
import { ModelSelect } from './ModelSelect';

/** What is wrong or worth knowing about the chosen corpus for this mode; null when all is well. */
export function corpusNote(corpus: CorpusSummary | undefined, corpusId: string, mode: RetrievalMode, loaded: boolean): { level: 'error' | 'warning'; text: string } | null {
  if (!loaded) return null;
  if (corpusId === '') return { level: 'error', text: 'Choose a corpus to retrieve from.' };
  if (!corpus) return { level: 'error', text: 'This corpus is no longer there (it may have been deleted). Choose another one.' };
  if (corpus.chunkCount === 0) return { level: 'error', text: `“${corpus.name}” has no documents yet. Add files to it in Corpora.` };
  if (mode === 'keyword') return null;
  if (corpus.embeddedCount === 0) {
    return mode === 'semantic'
      ? { level: 'error', text: `“${corpus.name}” is not indexed yet, so semantic search has nothing to compare. Index it in Corpora, or choose Keyword, which works offline.` }
      : { level: 'warning', text: `“${corpus.name}” is not indexed yet: hybrid search will use keyword results only until you index it in Corpora.` };
  }
  if (corpus.embeddedCount < corpus.chunkCount) return { level: 'warning', text: `Only ${corpus.embeddedCount} of ${corpus.chunkCount} passages are embedded; semantic search looks at those. Index the rest in Corpora.` };
  return null;
}

export function topKProblem(text: string): string | null {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 1 || value > MAX_TOP_K) return `Top k is a whole number from 1 to ${MAX_TOP_K}.`;
  return null;
}

function Note({ note }: { note: { level: 'error' | 'warning'; text: string } | null }) {
  if (!note) return null;
  return (
    <p className={`problem problem--${note.level}`} role={note.level === 'error' ? 'alert' : 'status'}>
      {note.text}
    </p>
  );
}

export function RetrieveStepEditor(props: EditorProps<'retrieve'>) {
  const { step, label } = props;
  const { corpora, error } = useCorpora();
  const openCorpora = useAppStore((s) => s.setView);
  const [kText, setKText] = useState(String(step.k));
  useEffect(() => setKText(String(step.k)), [step.k]);
  // A new step starts without a corpus: take the first one, so the usual case needs no click.
  useEffect(() => {
    if (step.corpusId === '' && corpora && corpora.length > 0) props.onChange({ ...step, corpusId: corpora[0]!.id });
  }, [corpora, step, props]);
  const corpus = corpora?.find((c) => c.id === step.corpusId);
  const kProblem = topKProblem(kText);

  return (
    <div className="step-editor step-editor--retrieve">
      {corpora && corpora.length === 0 ? (
        <div className="problem problem--error" role="alert">
          No corpus yet. A grounded arm answers from the documents of a corpus:{' '}
          <button type="button" className="button button--small" onClick={() => openCorpora('corpora')}>
            Create one in Corpora
          </button>
        </div>
      ) : (
        <label className="step-editor__field">
          <span>Corpus</span>
          <select aria-label={`${label} corpus`} title={corpus?.name} value={step.corpusId} onChange={(e) => props.onChange({ ...step, corpusId: e.target.value })} disabled={!corpora}>
            {step.corpusId === '' && <option value="">{corpora ? 'Choose a corpus…' : 'Loading corpora…'}</option>}
            {corpora && step.corpusId !== '' && !corpus && <option value={step.corpusId}>(deleted corpus)</option>}
            {(corpora ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} — {c.chunkCount} passages{c.embeddedCount < c.chunkCount ? `, ${c.embeddedCount} embedded` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      {error && <p className="problem problem--error" role="alert">{`The corpora could not be listed: ${error}`}</p>}
      <Note note={corpora && corpora.length > 0 ? corpusNote(corpus, step.corpusId, step.mode, true) : null} />
      <div className="step-editor__row">
        <label className="step-editor__field">
          <span>Search</span>
          <select aria-label={`${label} search mode`} value={step.mode} onChange={(e) => props.onChange({ ...step, mode: e.target.value as RetrievalMode })}>
            {RETRIEVAL_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {RETRIEVAL_MODE_NAMES[mode]}
              </option>
            ))}
          </select>
        </label>
        <label className="step-editor__field">
          <span>Passages (top k)</span>
          <input
            type="number"
            min={1}
            max={MAX_TOP_K}
            step={1}
            aria-label={`${label} top k`}
            aria-invalid={kProblem ? true : undefined}
            value={kText}
            onChange={(e) => {
              setKText(e.target.value);
              if (!topKProblem(e.target.value)) props.onChange({ ...step, k: Number(e.target.value) });
            }}
            onBlur={() => {
              if (topKProblem(kText)) setKText(String(step.k));
            }}
          />
        </label>
      </div>
      {kProblem && (
        <p className="problem problem--error" role="alert">
          {kProblem} The step keeps {step.k}{step.k === DEFAULT_TOP_K ? ' (the default)' : ''} until then.
        </p>
      )}
      <label className="step-editor__field">
        <span>Instruction (empty: answer only from the sources, cite them as [1], say so when they don’t answer)</span>
        <textarea rows={3} aria-label={`${label} instruction`} placeholder={GROUNDED_INSTRUCTION} value={step.instruction} maxLength={5_000} onChange={(e) => props.onChange({ ...step, instruction: e.target.value })} />
      </label>
    </div>
  );
}

export function ClarifyStepEditor(props: EditorProps<'clarify'>) {
  const { step } = props;
  return (
    <div className="step-editor step-editor--clarify">
      <p className="muted step__summary">
        After the sources are found, a model decides whether they settle the question. When it is too vague, the column asks you one follow-up question; your answer is added and the arm retrieves again with the same corpus, search and k.
      </p>
      <ModelSelect
        label={`${props.label} deciding model`}
        value={step.modelId}
        models={props.ctx.models}
        defaultLabel="The arm’s own model"
        onChange={(modelId) => {
          const { modelId: _drop, ...rest } = step;
          props.onChange(modelId ? { ...rest, modelId } : rest);
        }}
      />
      <details>
        <summary>How the model decides</summary>
        <pre className="step-editor__prompt">{CLARIFY_SYSTEM_PROMPT}</pre>
      </details>
    </div>
  );
}
