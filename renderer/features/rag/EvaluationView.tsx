/**
 * The evaluation screen (issue 11): a corpus, a question set (the bundled AnyCompany Bank one or
 * an imported JSON file) and the arms — the baseline from memory, grounded, grounded with a
 * clarifying question — run through the judges; progress with Cancel, then the averages with
 * deltas against the baseline and the table per question, exportable as CSV or HTML.
 */
import { useEffect, useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { ModelSelect } from '../../components/steps/ModelSelect';
import { RetrieveStepEditor, corpusNote } from '../../components/steps/grounding';
import { QA_KIND_NAMES, SAMPLE_QA_SET, type QaSet } from '../../../shared/rag/qa';
import { parseQaSetFile } from '../../../shared/rag/qa-import';
import { DEFAULT_TOP_K } from '../../../shared/rag/types';
import type { StepConfig, StepOf } from '../../../shared/steps/registry';
import { api, errorMessage } from '../../lib/api';
import { useAppStore } from '../../stores';
import { EvaluationResults } from './EvaluationResults';
import { useCorpora } from './useCorpora';
import './rag.css';

type ArmChoice = 'grounded' | 'clarify';

const ARM_LABELS = { baseline: 'Baseline (from memory)', grounded: 'Grounded', clarify: 'Grounded + clarify' } as const;

/** The arms to evaluate: the baseline first (the deltas are against it), then the chosen grounded arms. */
export function evaluationArms(retrieve: StepOf<'retrieve'>, chosen: ReadonlySet<ArmChoice>): { label: string; steps: StepConfig[] }[] {
  const arms: { label: string; steps: StepConfig[] }[] = [{ label: ARM_LABELS.baseline, steps: [] }];
  if (chosen.has('grounded')) arms.push({ label: ARM_LABELS.grounded, steps: [retrieve] });
  if (chosen.has('clarify')) arms.push({ label: ARM_LABELS.clarify, steps: [retrieve, { kind: 'clarify' }] });
  return arms;
}

function QuestionSetPicker(props: { set: QaSet; imported: QaSet | null; onImported(set: QaSet | null): void; onUse(set: QaSet): void }) {
  const [problems, setProblems] = useState<string[]>([]);
  const usingSample = props.set === SAMPLE_QA_SET;
  async function read(file: File | undefined) {
    if (!file) return;
    const result = parseQaSetFile(file.name, await file.text());
    if (result.ok) {
      setProblems([]);
      props.onImported(result.set);
      props.onUse(result.set);
    } else {
      setProblems(result.problems);
    }
  }
  return (
    <fieldset className="eval-setup__group">
      <legend>Question set</legend>
      <label className="eval-choice">
        <input type="radio" name="qa-set" checked={usingSample} onChange={() => props.onUse(SAMPLE_QA_SET)} />
        <span>
          {SAMPLE_QA_SET.name} <span className="muted">(bundled, {SAMPLE_QA_SET.items.length} questions)</span>
        </span>
      </label>
      {props.imported && (
        <label className="eval-choice">
          <input type="radio" name="qa-set" checked={props.set === props.imported} onChange={() => props.onUse(props.imported!)} />
          <span>
            {props.imported.name} <span className="muted">(imported, {props.imported.items.length} questions)</span>
          </span>
        </label>
      )}
      <label className="button button--small eval-import">
        <Icon name="upload" size={14} /> Import a question set (JSON)…
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Import a question set"
          className="visually-hidden"
          onChange={(event) => {
            void read(event.target.files?.[0]);
            event.target.value = '';
          }}
        />
      </label>
      <p className="field__hint">
        A JSON file like the bundled one: a name and items, each with an id, a question, a reference answer and, when known, the expected source file (for hit rate and MRR) and the answer to give a clarifying question.
      </p>
      {problems.length > 0 && (
        <div className="problem problem--error" role="alert">
          <strong>That file is not a question set Parallax can use:</strong>
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
    </fieldset>
  );
}

export function EvaluationView() {
  const { corpora, error: listError } = useCorpora();
  const models = useAppStore((s) => s.models);
  const loadModels = useAppStore((s) => s.loadModels);
  const setView = useAppStore((s) => s.setView);
  const evaluation = useAppStore((s) => s.evaluation);
  const startEvaluation = useAppStore((s) => s.startEvaluation);
  const cancelEvaluation = useAppStore((s) => s.cancelEvaluation);
  const [set, setSet] = useState<QaSet>(SAMPLE_QA_SET);
  const [imported, setImported] = useState<QaSet | null>(null);
  const [selected, setSelected] = useState<Set<string>>(() => new Set(SAMPLE_QA_SET.items.map((item) => item.id)));
  const [arms, setArms] = useState<Set<ArmChoice>>(() => new Set<ArmChoice>(['grounded', 'clarify']));
  const [retrieve, setRetrieve] = useState<StepOf<'retrieve'>>({ kind: 'retrieve', corpusId: '', mode: 'hybrid', k: DEFAULT_TOP_K, instruction: '' });
  const [modelId, setModelId] = useState<string | undefined>();
  const [judgeModelId, setJudgeModelId] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [addingSample, setAddingSample] = useState(false);

  useEffect(() => {
    if (models.length === 0) void loadModels();
  }, [models.length, loadModels]);

  // The set's own corpus, when it names one that exists, is the natural choice.
  useEffect(() => {
    const named = corpora?.find((c) => c.name === set.corpus);
    if (named && retrieve.corpusId === '') setRetrieve((r) => ({ ...r, corpusId: named.id }));
  }, [corpora, set.corpus, retrieve.corpusId]);

  function chooseSet(next: QaSet) {
    setSet(next);
    setSelected(new Set(next.items.map((item) => item.id)));
  }

  async function addSample() {
    setAddingSample(true);
    setError(null);
    try {
      const corpus = await api.call('rag:add-sample', {});
      setRetrieve((r) => ({ ...r, corpusId: corpus.id }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setAddingSample(false);
    }
  }

  const corpus = corpora?.find((c) => c.id === retrieve.corpusId);
  const items = set.items.filter((item) => selected.has(item.id));
  const armList = useMemo(() => evaluationArms(retrieve, arms), [retrieve, arms]);
  const running = evaluation?.status === 'running';
  const note = corpusNote(corpus, retrieve.corpusId, retrieve.mode, corpora !== null);
  const blocked = items.length === 0 ? 'Choose at least one question.' : armList.length < 2 ? 'Choose at least one grounded arm to compare with the baseline.' : note?.level === 'error' ? note.text : null;

  async function run() {
    if (!corpus || blocked) return;
    setError(null);
    await startEvaluation({
      corpusId: corpus.id,
      set: { ...set, items },
      arms: armList,
      ...(modelId ? { modelId } : {}),
      ...(judgeModelId ? { judgeModelId } : {}),
    });
  }

  if (corpora && corpora.length === 0) {
    return (
      <div className="page evaluation">
        <PageHeader title="Evaluate" subtitle="Run a question set through a baseline and grounded arms, and let the judges score every answer." />
        {error && <ErrorBanner message={error} />}
        <EmptyState
          icon="book"
          title="No corpus to evaluate against"
          action={
            <div className="eval-empty__actions">
              <button type="button" className="button button--primary" disabled={addingSample} onClick={() => void addSample()}>
                <Icon name="book" size={16} /> Add the sample handbook
              </button>
              <button type="button" className="button" onClick={() => setView('corpora')}>
                Open Corpora
              </button>
            </div>
          }
        >
          An evaluation asks every question of a set through each arm, with the grounded arms retrieving from a corpus. Add the sample AnyCompany Bank handbook, which comes with {SAMPLE_QA_SET.items.length} questions, or create a corpus of your own in Corpora.
        </EmptyState>
      </div>
    );
  }

  const progress = evaluation?.progress;
  return (
    <div className="page evaluation">
      <PageHeader title="Evaluate" subtitle="Run a question set through a baseline and grounded arms, and let the judges score every answer." />
      {(error || listError) && <ErrorBanner message={(error ?? listError)!} />}
      <form
        className="panel eval-setup"
        aria-label="Evaluation setup"
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <div className="eval-setup__columns">
          <QuestionSetPicker set={set} imported={imported} onImported={setImported} onUse={chooseSet} />
          <fieldset className="eval-setup__group">
            <legend>Arms</legend>
            <label className="eval-choice">
              <input type="checkbox" checked disabled />
              <span>
                {ARM_LABELS.baseline} <span className="muted">— always included: the deltas are against it</span>
              </span>
            </label>
            {(['grounded', 'clarify'] as const).map((choice) => (
              <label key={choice} className="eval-choice">
                <input
                  type="checkbox"
                  checked={arms.has(choice)}
                  onChange={(event) => {
                    const next = new Set(arms);
                    if (event.target.checked) next.add(choice);
                    else next.delete(choice);
                    setArms(next);
                  }}
                />
                <span>
                  {ARM_LABELS[choice]}{' '}
                  <span className="muted">{choice === 'grounded' ? '— retrieves, then answers only from the sources' : '— also asks a follow-up when the question is vague (answered from the set)'}</span>
                </span>
              </label>
            ))}
            <div className="eval-setup__models">
              <ModelSelect label="Answering model" value={modelId} models={models} defaultLabel="Default generation model (Settings)" onChange={setModelId} />
              <ModelSelect label="Judge model" value={judgeModelId} models={models} defaultLabel="Default judge model (Settings)" onChange={setJudgeModelId} />
            </div>
          </fieldset>
          <fieldset className="eval-setup__group">
            <legend>Retrieval (grounded arms)</legend>
            <RetrieveStepEditor step={retrieve} label="Evaluation retrieval" ctx={{ techniques: [], variables: [], models, armModelId: modelId ?? '' }} onChange={(step) => setRetrieve(step)} />
            {corpus && set.corpus && set.corpus !== corpus.name && (
              <p className="problem problem--warning" role="status">
                This set was written for “{set.corpus}”; answers from “{corpus.name}” may not match its reference answers.
              </p>
            )}
          </fieldset>
        </div>

        <fieldset className="eval-setup__group eval-questions">
          <legend>
            Questions <span className="muted">({items.length} of {set.items.length} chosen)</span>
          </legend>
          <div className="eval-questions__actions">
            <button type="button" className="button button--small" onClick={() => setSelected(new Set(set.items.map((item) => item.id)))}>
              All
            </button>
            <button type="button" className="button button--small" onClick={() => setSelected(new Set())}>
              None
            </button>
          </div>
          <ul className="eval-questions__list" aria-label="Questions">
            {set.items.map((item) => (
              <li key={item.id}>
                <label className="eval-choice">
                  <input
                    type="checkbox"
                    checked={selected.has(item.id)}
                    onChange={(event) => {
                      const next = new Set(selected);
                      if (event.target.checked) next.add(item.id);
                      else next.delete(item.id);
                      setSelected(next);
                    }}
                  />
                  <span>
                    {item.question} <span className="chip eval-kind">{QA_KIND_NAMES[item.kind]}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>

        <div className="eval-setup__run">
          {running ? (
            <div className="eval-progress" role="group" aria-label="Evaluation progress">
              <progress max={Math.max(1, progress?.total ?? 1)} value={progress?.done ?? 0} aria-label={`Answered and judged ${progress?.done ?? 0} of ${progress?.total ?? '…'}`} />
              <span>{progress ? `${progress.done} of ${progress.total} answers judged` : 'Starting…'}</span>
              <button type="button" className="button" onClick={() => void cancelEvaluation()}>
                Cancel
              </button>
            </div>
          ) : (
            <>
              <button type="submit" className="button button--primary" disabled={Boolean(blocked)}>
                <Icon name="play" size={16} /> Run evaluation
              </button>
              <span className="muted">
                {blocked ?? `${items.length} question${items.length === 1 ? '' : 's'} × ${armList.length} arms = ${items.length * armList.length} answers, each scored by up to four judges.`}
              </span>
            </>
          )}
        </div>
      </form>

      {evaluation?.status === 'cancelled' && <p className="corpus-index__note" role="status">The evaluation was cancelled. Nothing was kept; run it again when you are ready.</p>}
      {evaluation?.status === 'failed' && evaluation.error && <ErrorBanner message={`The evaluation stopped: ${evaluation.error}`} />}
      {evaluation?.result ? (
        <EvaluationResults evaluationId={evaluation.id} result={evaluation.result} />
      ) : (
        !running && (
          <p className="muted eval-none" role="status">
            No results yet: choose the questions and arms above and press Run evaluation. The table shows each answer’s scores, the averages per arm and the change against the baseline.
          </p>
        )
      )}
    </div>
  );
}
