import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { armFromTechnique, detachArm, reattachArm } from '../../../shared/arms/edit';
import { checkConfig, resolveArms, techniqueKeyLabel } from '../../../shared/arms/resolve';
import { STEP_KINDS } from '../../../shared/steps';
import type { ArmConfig, ArmResult, BaselineArm, DetachedArm, RunDetail } from '../../../shared/domain';
import { MAX_ARMS } from '../../../shared/domain';
import { findLab } from '../../../shared/labs';
import { BUILT_IN_TECHNIQUES } from '../../../shared/techniques';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { RunView } from '../../components/run/RunView';
import { useRunImages } from '../../components/images/useRunImages';
import { DEFAULT_IMAGE_MODEL, mediumOf, withMedium, type Medium } from '../../../shared/images';
import { RunRatingPanel, RunScoresBar, ScoreCard } from '../../components/scores';
import { useShortcuts } from '../../lib/useShortcuts';
import { useAppStore } from '../../stores';
import { LabGuidePanel } from '../labs/LabGuide';
import { ArmEditor } from './ArmEditor';
import { SuggestDialog } from './SuggestDialog';
import { TechniquesDialog } from './TechniquesDialog';
import { VariablesPanel } from './VariablesPanel';
import { RepeatResults } from './RepeatResults';
import { MAX_COMPARE_REPEATS } from '../../../shared/runs/repeats';
import './compare.css';

const isMac = navigator.platform.toLowerCase().includes('mac');
const RUN_KEY = isMac ? '⌘↵' : 'Ctrl+↵';

export function CompareView() {
  const draft = useAppStore((s) => s.draft);
  const dirty = useAppStore((s) => s.draftDirty);
  const currentRunId = useAppStore((s) => s.currentRunId);
  const currentBatchId = useAppStore((s) => s.currentBatchId);
  // Only what the editor and header show of the current run: the run itself changes on every
  // streamed frame, and only CompareResults (below) follows it, so the editor never re-renders
  // while the answers stream in.
  const runStatus = useAppStore((s) => (s.currentRunId ? s.runsById[s.currentRunId]?.status : undefined));
  const runProgress = useAppStore((s) => {
    const shown = s.currentRunId ? s.runsById[s.currentRunId] : undefined;
    return shown ? `${shown.arms.filter((a) => a.status !== 'pending' && a.status !== 'streaming').length} of ${shown.arms.length}` : '';
  });
  const batchRunning = useAppStore((s) => s.currentBatchId !== null && s.batchStatus === 'running');
  const repeats = useAppStore((s) => s.repeats);
  const error = useAppStore((s) => s.compareError);
  const starting = useAppStore((s) => s.starting);
  const defaultModel = useAppStore((s) => s.defaultModel);
  const techniques = useAppStore((s) => s.techniques);
  const models = useAppStore((s) => s.models);
  const { setRepeats, updateDraft, saveDraft, runDraft, cancelRun, rerunArm, newComparison, restoreCompare, loadTechniques, loadModels, setView, setCompareError } =
    useAppStore.getState();
  const [editorOpen, setEditorOpen] = useState(true);
  const [suggesting, setSuggesting] = useState(false);
  const [library, setLibrary] = useState(false);
  const resultsRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void restoreCompare();
    void loadTechniques();
    void loadModels();
  }, [restoreCompare, loadTechniques, loadModels]);

  const env = useMemo(() => ({ techniques }), [techniques]);
  const config = draft?.config;
  const problems = useMemo(() => (config ? checkConfig(config, env) : null), [config, env]);
  const resolved = useMemo(() => (config ? resolveArms(config, env) : []), [config, env]);
  const running = runStatus === 'running' || batchRunning;
  const canRun = !!draft && !!problems?.ok && !running && !starting;

  const start = () => {
    if (!canRun) return;
    void runDraft();
  };
  // A new run (from Run, or a re-run started in History) brings its results into view.
  const newRunId = running ? (currentRunId ?? currentBatchId ?? undefined) : undefined;
  useEffect(() => {
    if (newRunId) resultsRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [newRunId]);
  useShortcuts(useMemo(() => ({ 'Mod+enter': () => start(), 'Mod+s': () => void saveDraft() }), [canRun, draft]));

  useEffect(() => {
    if (!running) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      void cancelRun();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, cancelRun]);

  const techniqueNames = useMemo(
    () => ({
      ...Object.fromEntries(Object.entries(STEP_KINDS).map(([kind, info]) => [kind, info.name])),
      ...Object.fromEntries(techniques.map((t) => [t.id, t.name])),
      variant: techniqueKeyLabel('variant'),
    }),
    [techniques],
  );

  if (!draft) {
    return (
      <div className="page">
        <header className="page-header">
          <div>
            <h1>Compare</h1>
            <p className="page-header__subtitle">Run a baseline and its mitigated variants side by side.</p>
          </div>
        </header>
        {error && <ErrorBanner message={error.message} details={error.details} />}
        <EmptyState
          icon="compare"
          title="Nothing to compare yet"
          action={
            <div className="button-row">
              <button type="button" className="button button--primary" onClick={() => newComparison()}>
                <Icon name="plus" size={16} /> New comparison
              </button>
              <button type="button" className="button" onClick={() => setView('labs')}>
                Open from Labs
              </button>
            </div>
          }
        >
          Start a new comparison, or open a saved experiment from Labs to run its baseline and mitigated prompts side by side.
        </EmptyState>
      </div>
    );
  }

  const arms = draft.config.arms;
  const baseline = arms[0] as BaselineArm;
  const lab = findLab(draft.labId);
  const setArms = (next: ArmConfig[]) => updateDraft((d) => ({ ...d, config: { ...d.config, arms: next } }));
  const setArm = (index: number, arm: ArmConfig) => setArms(arms.map((a, i) => (i === index ? arm : a)));
  const addArm = () => {
    if (mediumOf(draft.config) === 'image') {
      setArms([...arms, { mode: 'derived', label: `Mitigated ${arms.length}`, steps: [], overrides: {} }]);
      return;
    }
    const used = new Set(arms.flatMap((a) => (a.mode === 'baseline' ? [] : a.steps.flatMap((s) => (s.kind === 'technique' ? [s.techniqueId] : [])))));
    const next = BUILT_IN_TECHNIQUES.find((t) => t.id !== 'plain' && !used.has(t.id)) ?? BUILT_IN_TECHNIQUES[2]!;
    setArms([...arms, armFromTechnique(next)]);
  };
  /** A suggested rewrite is fixed text: a variant with its own prompt (a rewrite step would follow the baseline). */
  const addRewrite = (rewrite: string) => {
    const variant: DetachedArm = {
      mode: 'detached',
      label: 'Neutral rephrasing (suggested)',
      modelId: baseline.modelId,
      inference: { ...baseline.inference },
      system: baseline.system,
      history: baseline.history.map((turn) => ({ ...turn })),
      template: rewrite,
      steps: [],
    };
    setArms([...arms, variant]);
  };
  const detach = (index: number) => setArm(index, detachArm(draft.config, index, env));
  const reattach = (index: number) => {
    const offer = reattachArm(draft.config, index, env);
    if (!offer) return;
    if (!offer.lossless && !window.confirm('Re-attach this variant to the baseline? Its own edits to the text are discarded; it will send the baseline with its steps again.')) return;
    setArm(index, offer.arm);
  };
  const defineVariable = (name: string) =>
    updateDraft((d) =>
      d.config.variables.some((v) => v.name === name) ? d : { ...d, config: { ...d.config, variables: [...d.config.variables, { name, value: '' }] } },
    );

  return (
    <div className="page page--wide compare">
      <header className="compare__header">
        <div className="compare__title">
          <textarea
            className="compare__name"
            aria-label="Experiment name"
            rows={1}
            value={draft.name}
            maxLength={200}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.metaKey && !e.ctrlKey) e.preventDefault();
            }}
            onChange={(e) => updateDraft((d) => ({ ...d, name: e.target.value.replace(/\n/g, ' ') }))}
          />
          <input
            className="compare__description"
            aria-label="Experiment description"
            placeholder="What this comparison shows"
            value={draft.description}
            onChange={(e) => updateDraft((d) => ({ ...d, description: e.target.value }))}
          />
        </div>
        <div className="compare__actions">
          <button type="button" className="button" onClick={() => setLibrary(true)}>
            <Icon name="labs" size={15} /> Techniques
          </button>
          <button type="button" className="button" onClick={() => setSuggesting(true)}>
            <Icon name="sparkle" size={15} /> Suggest a mitigation
          </button>
          <button type="button" className="button" onClick={() => void saveDraft()} title={isMac ? '⌘S' : 'Ctrl+S'}>
            <Icon name="save" size={15} /> {draft.id ? (dirty ? 'Save changes' : 'Saved') : 'Save experiment'}
          </button>
          <label className="compare__repeats" title="Run each arm several times: one answer is an anecdote, several show the spread">
            Each arm
            <select aria-label="Samples per arm" value={repeats} disabled={running} onChange={(e) => setRepeats(Number(e.target.value))}>
              {Array.from({ length: MAX_COMPARE_REPEATS }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {n === 1 ? 'once' : `${n} times`}
                </option>
              ))}
            </select>
          </label>
          {running && !batchRunning && runProgress && (
            <span className="compare__progress" role="status" aria-label="Run progress">
              Streaming · {runProgress} arms done
            </span>
          )}
          {running ? (
            <button type="button" className="button button--stop" onClick={() => void cancelRun()} title={batchRunning ? 'Stop the samples not yet answered (Esc); finished ones are kept' : 'Stop every arm (Esc)'}>
              <Icon name="stop" size={14} /> Stop <kbd>Esc</kbd>
            </button>
          ) : (
            <button
              type="button"
              className="button button--primary button--run"
              disabled={!canRun}
              onClick={start}
              title={problems?.ok ? `Run every arm (${RUN_KEY})` : 'Fix the problems shown in the editor first'}
            >
              <Icon name="play" size={14} /> {starting ? 'Starting…' : repeats > 1 ? `Run ×${repeats}` : 'Run'} <kbd>{RUN_KEY}</kbd>
            </button>
          )}
        </div>
      </header>

      {error && (
        <div className="compare__error">
          <ErrorBanner message={error.message} details={error.details} />
          <button type="button" className="icon-button" aria-label="Dismiss error" onClick={() => setCompareError(null)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      )}

      {lab && <LabGuidePanel lab={lab} />}

      <section className={`editor ${editorOpen ? '' : 'editor--collapsed'}`} aria-label="Experiment editor">
        <button type="button" className="editor__toggle" aria-expanded={editorOpen} onClick={() => setEditorOpen(!editorOpen)}>
          <Icon name="chevron" size={14} /> {editorOpen ? 'Editor' : `Editor — ${arms.length} arms, ${draft.config.variables.length} ${draft.config.variables.length === 1 ? 'variable' : 'variables'}`}
          {problems && !problems.ok && <span className="chip chip--danger">Needs attention</span>}
        </button>
        {editorOpen && (
          <>
            <VariablesPanel
              variables={draft.config.variables}
              unused={problems?.unused ?? []}
              duplicates={problems?.duplicates ?? []}
              onChange={(variables) => updateDraft((d) => ({ ...d, config: { ...d.config, variables } }))}
            />
            <div className="arm-grid" style={{ gridTemplateColumns: `repeat(${arms.length}, minmax(0, 1fr))${arms.length < MAX_ARMS ? ' 112px' : ''}` }}>
              {arms.map((arm, index) => (
                <ArmEditor
                  key={index}
                  arm={arm}
                  index={index}
                  baseline={baseline}
                  resolved={resolved[index]!}
                  baselineResolved={resolved[0]!}
                  techniques={techniques}
                  models={models}
                  variables={draft.config.variables}
                  missing={problems?.missing[index] ?? []}
                  invalid={problems?.invalid[index] ?? []}
                  emptyPrompt={problems?.emptyPrompts.includes(index) ?? false}
                  canRemove={index > 0 && arms.length > 2}
                  reattach={arm.mode === 'detached' ? reattachArm(draft.config, index, env) : null}
                  onChange={(next) => setArm(index, next)}
                  onRemove={() => setArms(arms.filter((_, i) => i !== index))}
                  onDefineVariable={defineVariable}
                  onDetach={() => detach(index)}
                  onReattach={() => reattach(index)}
                  {...(index === 0 ? { onMedium: (medium: Medium) => updateDraft((d) => ({ ...d, config: withMedium(d.config, medium, medium === 'image' ? DEFAULT_IMAGE_MODEL : defaultModel) })) } : {})}
                />
              ))}
              {arms.length < MAX_ARMS && (
                <button type="button" className={`arm-grid__add${problems?.needsMitigatedArm ? ' arm-grid__add--needed' : ''}`} onClick={addArm}>
                  <Icon name="plus" size={20} />
                  <span>Add arm</span>
                  {problems?.needsMitigatedArm && (
                    <span role="alert" className="arm-grid__hint">
                      Add a mitigated arm to compare against the baseline
                    </span>
                  )}
                  <span className="muted">Up to {MAX_ARMS}</span>
                </button>
              )}
            </div>
          </>
        )}
      </section>

      <div ref={resultsRef} className="compare__results">
        <CompareResults techniqueNames={techniqueNames} onRerunArm={rerunArm} />
      </div>

      <SuggestDialog
        open={suggesting}
        prompt={baseline.template}
        defaultModel={baseline.modelId}
        canAdd={arms.length < MAX_ARMS}
        onClose={() => setSuggesting(false)}
        onAdd={addRewrite}
      />
      <TechniquesDialog open={library} techniques={techniques} onClose={() => setLibrary(false)} onChanged={() => void loadTechniques()} />
    </div>
  );
}

/** The current run's columns: the one part of Compare that follows every streamed frame. */
function CompareResults(props: { techniqueNames: Record<string, string>; onRerunArm(index: number): Promise<void> }) {
  const batchId = useAppStore((s) => s.currentBatchId);
  if (batchId) return <RepeatResults key={batchId} batchId={batchId} techniqueNames={props.techniqueNames} />;
  return <SingleRunResults {...props} />;
}

function SingleRunResults(props: { techniqueNames: Record<string, string>; onRerunArm(index: number): Promise<void> }) {
  const run = useAppStore((s) => (s.currentRunId ? s.runsById[s.currentRunId] : undefined));
  const currentRunId = useAppStore((s) => s.currentRunId);
  const armStarts = useAppStore((s) => (s.currentRunId ? s.armStarts[s.currentRunId] : undefined));
  const runImages = useRunImages(run, run ? mediumOf(run.config) === 'image' : false);
  const { onRerunArm } = props;
  const live = useMemo(() => (armStarts ? { armStartedAt: armStarts } : {}), [armStarts]);
  const rerun = useCallback((index: number) => void onRerunArm(index), [onRerunArm]);
  if (!run) {
    return (
      <div className="compare__hint">
        <Icon name="compare" size={20} />
        <span>
          Press <kbd>{RUN_KEY}</kbd> or <strong>Run</strong> to send every arm at once. Each answer streams into its own column and is saved to History as it arrives.
        </span>
      </div>
    );
  }
  return (
    <>
      <RunView
        run={run}
        images={runImages}
        live={live}
        techniqueNames={props.techniqueNames}
        onRerunArm={rerun}
        armFooter={scoreCardOf}
        toolbarExtra={
          <>
            <RunScoresBar run={run} />
            <RunSummary status={run.status} runId={currentRunId} />
          </>
        }
      />
      {run.status !== 'running' && <RunRatingPanel run={run} />}
    </>
  );
}

const scoreCardOf = (arm: ArmResult, shown: RunDetail) => <ScoreCard run={shown} arm={arm} />;

const RUN_STATUS_TEXT: Record<string, string> = {
  running: 'Streaming…',
  completed: 'Saved to History',
  cancelled: 'Stopped · partial text saved',
  failed: 'Finished with errors · saved',
  interrupted: 'Interrupted · partial text saved',
};

function RunSummary(props: { status: string; runId: string | null }) {
  return (
    <span className={`run-summary run-summary--${props.status}`} role="status" aria-label="Run status" data-run-id={props.runId ?? undefined}>
      {RUN_STATUS_TEXT[props.status] ?? props.status}
    </span>
  );
}
