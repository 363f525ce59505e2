import { useEffect, useState } from 'react';
import type { RunDetail } from '../../../shared/domain';
import type { JudgePrompts } from '../../../shared/contract/scores';
import { JUDGE_IDS, JUDGES, type JudgeId } from '../../../shared/scores/judges';
import { SCORABLE_METRIC_IDS, REFERENCE_METRICS, type ScorableMetricId } from '../../../shared/scores/metrics';
import { PERTURBATION_KINDS } from '../../../shared/metrics';
import { PERTURBATION_LABELS, ROBUSTNESS_MAX_COUNT, ROBUSTNESS_SCORER, type RobustnessSettings } from '../../../shared/scores/robustness';
import { scorerInfo } from '../../../shared/scores/scorers';
import type { ScoreSettings } from '../../../shared/scores/types';
import { api, errorMessage } from '../../lib/api';
import { useAppStore } from '../../stores';
import { Dialog } from '../Dialog';

const NEEDS_TEXT = { context: 'context', reference: 'reference answer', guidelines: 'guidelines' } as const;
const PROMPT_VARIABLES = '${question} ${answer} ${context} ${reference} ${guidelines}; pairwise: ${question} ${answer_a} ${answer_b}';

function needsOf(id: string): string {
  if ((JUDGE_IDS as readonly string[]).includes(id)) {
    const needs = JUDGES[id as JudgeId].needs;
    return needs.length > 0 ? `Needs a ${needs.map((n) => NEEDS_TEXT[n]).join(', ')}` : '';
  }
  return REFERENCE_METRICS.has(id as ScorableMetricId) ? 'Needs a reference answer' : '';
}

interface Selection {
  now: Set<string>;
  auto: Set<string>;
}

/**
 * Which scores to run now and after every run, the inputs judges need, and the judge prompts.
 * Settings belong to the run's experiment (or to the defaults for runs without one).
 */
export function ScoreSettingsDialog({ run, open, onClose }: { run: RunDetail; open: boolean; onClose(): void }) {
  const scoreRun = useAppStore((s) => s.scoreRun);
  const [settings, setSettings] = useState<ScoreSettings | null>(null);
  const [prompts, setPrompts] = useState<JudgePrompts | null>(null);
  const [selection, setSelection] = useState<Selection>({ now: new Set(), auto: new Set() });
  const [guidelines, setGuidelines] = useState('');
  const [judge, setJudge] = useState<JudgeId>('faithfulness');
  const [promptDraft, setPromptDraft] = useState({ system: '', template: '' });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const experimentId = run.experimentId;

  useEffect(() => {
    if (!open) return;
    let live = true;
    setError(null);
    setSaved(null);
    Promise.all([api.call('scores:settings-get', { experimentId }), api.call('judges:prompts-get', {})])
      .then(([loaded, loadedPrompts]) => {
        if (!live) return;
        setSettings(loaded);
        setGuidelines(loaded.guidelines.join('\n'));
        const auto = new Set<string>([...loaded.autoMetrics, ...loaded.autoJudges, ...(loaded.autoRobustness ? [ROBUSTNESS_SCORER] : [])]);
        setSelection({ now: new Set(auto), auto });
        setPrompts(loadedPrompts);
      })
      .catch((caught: unknown) => live && setError(errorMessage(caught)));
    return () => {
      live = false;
    };
  }, [open, experimentId]);

  useEffect(() => {
    if (prompts) setPromptDraft({ system: prompts[judge].system, template: prompts[judge].template });
  }, [prompts, judge]);

  const toggle = (column: keyof Selection, id: string) =>
    setSelection((current) => {
      const next = new Set(current[column]);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return { ...current, [column]: next };
    });

  const collect = (): ScoreSettings | null => {
    if (!settings) return null;
    return {
      ...settings,
      autoJudges: JUDGE_IDS.filter((id) => selection.auto.has(id)),
      autoMetrics: SCORABLE_METRIC_IDS.filter((id) => selection.auto.has(id)),
      autoRobustness: selection.auto.has(ROBUSTNESS_SCORER),
      guidelines: guidelines
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    };
  };

  const save = async (): Promise<boolean> => {
    const next = collect();
    if (!next) return false;
    try {
      setSettings(await api.call('scores:settings-save', { experimentId, settings: next }));
      setError(null);
      return true;
    } catch (caught) {
      setError(errorMessage(caught));
      return false;
    }
  };

  const scoreNow = async () => {
    if (!(await save())) return;
    onClose();
    await scoreRun({
      runId: run.id,
      judges: JUDGE_IDS.filter((id) => selection.now.has(id)),
      metrics: SCORABLE_METRIC_IDS.filter((id) => selection.now.has(id)),
      robustness: selection.now.has(ROBUSTNESS_SCORER),
    });
  };

  const savePrompt = async (reset: boolean) => {
    try {
      const next = await api.call('judges:prompts-save', { judgeId: judge, prompt: reset ? null : promptDraft });
      setPrompts(next);
      setSaved(reset ? `${JUDGES[judge].label} prompt reset to the default.` : `${JUDGES[judge].label} prompt saved.`);
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  const update = (patch: Partial<ScoreSettings>) => setSettings((current) => (current ? { ...current, ...patch } : current));
  const updateRobustness = (patch: Partial<RobustnessSettings>) =>
    setSettings((current) => (current ? { ...current, robustness: { ...current.robustness, ...patch } } : current));
  const rows = [...JUDGE_IDS, ...SCORABLE_METRIC_IDS, ROBUSTNESS_SCORER];
  const whole = (text: string, min: number, max: number): number | null => {
    const value = Number(text);
    return text.trim() !== '' && Number.isInteger(value) && value >= min && value <= max ? value : null;
  };

  return (
    <Dialog title="Scores" open={open} onClose={onClose}>
      <div className="score-settings">
        {error && (
          <p className="score-settings__error" role="alert">
            {error}
          </p>
        )}
        {!settings || !prompts ? (
          <p className="muted">Loading…</p>
        ) : (
          <>
            <p className="muted">
              {experimentId ? 'Settings for this experiment.' : 'Default settings, used by runs without an experiment and by experiments with no settings of their own.'} Judges
              call the judge model on Amazon Bedrock and cost tokens; robustness calls each arm&apos;s own model again; metrics run locally.
            </p>
            <table className="score-settings__table">
              <thead>
                <tr>
                  <th scope="col">Score</th>
                  <th scope="col">Run now</th>
                  <th scope="col">After every run</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((id) => {
                  const info = scorerInfo(id);
                  const needs = needsOf(id);
                  const robustness = id === ROBUSTNESS_SCORER;
                  const calls = settings.robustness.count;
                  return (
                    <tr key={id} data-scorer={id}>
                      <th scope="row">
                        <span className="score-settings__name">
                          {info.label} <span className="score-settings__kind">{info.kind === 'judge' ? 'judge' : 'metric'}</span>
                        </span>
                        <span className="score-settings__description">
                          {info.description}
                          {needs && ` ${needs}.`}
                        </span>
                        {robustness && (
                          <span className="score-settings__cost" role="note">
                            Costs {calls} model {calls === 1 ? 'call' : 'calls'} per arm ({calls * run.arms.length} for this run): each arm&apos;s request is sent again with {calls}{' '}
                            perturbed inputs, to that arm&apos;s model.
                          </span>
                        )}
                      </th>
                      <td>
                        <input type="checkbox" aria-label={`Run ${info.label} now`} checked={selection.now.has(id)} onChange={() => toggle('now', id)} />
                      </td>
                      <td>
                        <input type="checkbox" aria-label={`Run ${info.label} after every run`} checked={selection.auto.has(id)} onChange={() => toggle('auto', id)} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>

            <h3>Robustness</h3>
            <div className="score-settings__robustness">
              <label className="field">
                <span className="field__label">Perturbation</span>
                <select aria-label="Perturbation" value={settings.robustness.kind} onChange={(e) => updateRobustness({ kind: e.target.value as RobustnessSettings['kind'] })}>
                  {PERTURBATION_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {PERTURBATION_LABELS[kind]}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="field__label">Perturbed runs per arm</span>
                <input
                  type="number"
                  aria-label="Perturbed runs per arm"
                  min={1}
                  max={ROBUSTNESS_MAX_COUNT}
                  step={1}
                  value={settings.robustness.count}
                  onChange={(e) => {
                    const count = whole(e.target.value, 1, ROBUSTNESS_MAX_COUNT);
                    if (count !== null) updateRobustness({ count });
                  }}
                />
              </label>
              <label className="field">
                <span className="field__label">Seed</span>
                <input
                  type="number"
                  aria-label="Perturbation seed"
                  min={0}
                  step={1}
                  value={settings.robustness.seed}
                  onChange={(e) => {
                    const seed = whole(e.target.value, 0, 0xffffffff);
                    if (seed !== null) updateRobustness({ seed });
                  }}
                />
              </label>
              <label className="field">
                <span className="field__label">Score to follow</span>
                <select aria-label="Robustness base score" value={settings.robustness.baseMetric} onChange={(e) => updateRobustness({ baseMetric: e.target.value as ScorableMetricId })}>
                  {SCORABLE_METRIC_IDS.map((id) => (
                    <option key={id} value={id}>
                      {scorerInfo(id).label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="field__label">Compare outputs with</span>
                <select
                  aria-label="Robustness compares with"
                  value={settings.robustness.compareWith}
                  disabled={!REFERENCE_METRICS.has(settings.robustness.baseMetric)}
                  onChange={(e) => updateRobustness({ compareWith: e.target.value as RobustnessSettings['compareWith'] })}
                >
                  <option value="reference">the reference answer</option>
                  <option value="original">the original output</option>
                </select>
              </label>
            </div>
            <p className="muted">
              Reports the mean absolute change of the chosen score between the original output and the outputs for the perturbed inputs, and their mean word error rate.
              Lower is more robust. The same seed always gives the same perturbed inputs.
            </p>

            <h3>Inputs for judges</h3>
            <label className="field">
              <span className="field__label">Question</span>
              <textarea rows={2} aria-label="Question" value={settings.question} placeholder="Empty: the baseline's prompt" onChange={(e) => update({ question: e.target.value })} />
            </label>
            <label className="field">
              <span className="field__label">Reference answer</span>
              <textarea rows={3} aria-label="Reference answer" value={settings.reference} placeholder="For correctness and the reference metrics. Several answers: a<OR>b (any one) or a<AND>b (all of them)" onChange={(e) => update({ reference: e.target.value })} />
            </label>
            <label className="field">
              <span className="field__label">Context</span>
              <textarea rows={3} aria-label="Context" value={settings.context} placeholder="The source text answers must stay faithful to" onChange={(e) => update({ context: e.target.value })} />
            </label>
            <label className="field">
              <span className="field__label">Guidelines, one per line</span>
              <textarea rows={5} aria-label="Guidelines" value={guidelines} onChange={(e) => setGuidelines(e.target.value)} />
            </label>
            <label className="field">
              <span className="field__label">Judge model</span>
              <input
                type="text"
                aria-label="Judge model"
                value={settings.judgeModel ?? ''}
                placeholder="Empty: the default judge model from Settings"
                onChange={(e) => update({ judgeModel: e.target.value.trim() === '' ? null : e.target.value })}
              />
            </label>

            <h3>Judge prompts</h3>
            <div className="score-settings__prompt-head">
              <select aria-label="Judge prompt to edit" value={judge} onChange={(e) => setJudge(e.target.value as JudgeId)}>
                {JUDGE_IDS.map((id) => (
                  <option key={id} value={id}>
                    {JUDGES[id].label}
                    {prompts[id].edited ? ' (edited)' : ''}
                  </option>
                ))}
              </select>
              <span className="muted">Variables: {PROMPT_VARIABLES}</span>
            </div>
            <label className="field">
              <span className="field__label">System prompt</span>
              <textarea rows={3} aria-label="Judge system prompt" value={promptDraft.system} onChange={(e) => setPromptDraft({ ...promptDraft, system: e.target.value })} />
            </label>
            <label className="field">
              <span className="field__label">Prompt</span>
              <textarea rows={8} aria-label="Judge prompt" className="score-settings__mono" value={promptDraft.template} onChange={(e) => setPromptDraft({ ...promptDraft, template: e.target.value })} />
            </label>
            <div className="score-settings__actions">
              {saved && (
                <span className="muted" role="status">
                  {saved}
                </span>
              )}
              <button type="button" className="button button--small" disabled={!prompts[judge].edited} onClick={() => void savePrompt(true)}>
                Reset to default
              </button>
              <button type="button" className="button button--small" onClick={() => void savePrompt(false)}>
                Save prompt
              </button>
            </div>

            <footer className="score-settings__footer">
              <button type="button" className="button" onClick={() => void save().then((ok) => ok && setSaved('Settings saved.'))}>
                Save settings
              </button>
              <button type="button" className="button button--primary" disabled={selection.now.size === 0 || run.status === 'running'} onClick={() => void scoreNow()}>
                Save and score this run
              </button>
            </footer>
          </>
        )}
      </div>
    </Dialog>
  );
}
