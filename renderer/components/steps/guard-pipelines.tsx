/**
 * Moderation pipelines (issue 10). In the arm editor: apply a saved pipeline to an arm (its guards
 * become one group of steps, tagged with the pipeline's name), take a pipeline off the arm, save
 * the arm's guards as a named pipeline (the arm then uses it), delete a saved one. In a run: which
 * pipeline guarded each arm, read from the runs' own record (the pipeline as it was then).
 */
import { useCallback, useEffect, useState } from 'react';
import { applyPipeline, pipelinesOf, type ModerationPipeline } from '../../../shared/moderation/pipeline';
import { isGuardStep, MAX_STEPS, stepPhase, type StepConfig } from '../../../shared/steps/registry';
import { api, errorMessage } from '../../lib/api';
import './guard.css';

/** Every picker refreshes its list when any of them saves or deletes a pipeline. */
const changed = new Set<() => void>();
const announceChange = () => changed.forEach((refresh) => refresh());

function usePipelines(onError: (message: string) => void) {
  const [pipelines, setPipelines] = useState<ModerationPipeline[]>([]);
  const refresh = useCallback(() => {
    api.call('moderation:listPipelines', {}).then(setPipelines, (error: unknown) => onError(errorMessage(error)));
  }, [onError]);
  useEffect(() => {
    refresh();
    changed.add(refresh);
    return () => {
      changed.delete(refresh);
    };
  }, [refresh]);
  return pipelines;
}

const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const describe = (p: ModerationPipeline) => `${p.input.length} in, ${p.output.length} out${p.runCount ? `, used by ${count(p.runCount, 'run')}` : ''}`;

/** The arm's guards tagged with the pipeline they were saved as (so a run records it). */
function tagGuards(steps: readonly StepConfig[], pipeline: { id: string; name: string }): StepConfig[] {
  return steps.map((step) => (isGuardStep(step) ? ({ ...step, pipeline: { id: pipeline.id, name: pipeline.name } } as StepConfig) : step));
}

export function PipelinePicker(props: { label: string; steps: StepConfig[]; onChange(steps: StepConfig[]): void }) {
  const { label, steps } = props;
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ text: string; problem: boolean } | null>(null);
  const onError = useCallback((text: string) => setMessage({ text, problem: true }), []);
  const pipelines = usePipelines(onError);
  const guards = steps.filter(isGuardStep);
  const used = pipelinesOf(steps);

  const save = async () => {
    try {
      const plain = guards.map((s) => ({ ...s, pipeline: undefined }));
      const saved = await api.call('moderation:savePipeline', {
        name,
        input: plain.filter((s) => stepPhase(s) === 'request'),
        output: plain.filter((s) => stepPhase(s) === 'answer'),
      });
      setName('');
      setMessage({ text: `Saved “${saved.name}”. ${label} now runs it.`, problem: false });
      props.onChange(tagGuards(steps, saved));
      announceChange();
    } catch (error) {
      setMessage({ text: errorMessage(error), problem: true });
    }
  };
  const remove = async (pipeline: ModerationPipeline) => {
    try {
      await api.call('moderation:deletePipeline', { id: pipeline.id });
      setMessage({ text: `Deleted “${pipeline.name}”. Runs that used it keep it; arms keep their copy of its guards.`, problem: false });
      announceChange();
    } catch (error) {
      setMessage({ text: errorMessage(error), problem: true });
    }
  };

  if (guards.length === 0 && pipelines.length === 0 && !message) return null;
  return (
    <div className="guard-pipelines" role="group" aria-label={`Moderation pipeline of ${label}`}>
      <span className="field__label">Moderation pipeline</span>
      {used.map((p) => (
        <span key={p.id} className="chip guard-pipeline-chip" data-testid="arm-pipeline">
          {p.name}
          <button type="button" className="link-button" aria-label={`Take pipeline ${p.name} off ${label}`} onClick={() => props.onChange(steps.filter((s) => !('pipeline' in s && s.pipeline?.id === p.id)))}>
            take off
          </button>
        </span>
      ))}
      {pipelines.length > 0 ? (
        <select
          aria-label={`Apply a moderation pipeline to ${label}`}
          value=""
          onChange={(e) => {
            const pipeline = pipelines.find((p) => p.id === e.target.value);
            if (!pipeline) return;
            props.onChange(applyPipeline(steps, pipeline));
            setMessage({ text: `Applied “${pipeline.name}”: its guards are steps of ${label}.`, problem: false });
          }}
        >
          <option value="">Apply a saved pipeline…</option>
          {pipelines.map((p) => {
            const fits = applyPipeline(steps, p).length <= MAX_STEPS;
            return (
              <option key={p.id} value={p.id} disabled={!fits}>
                {p.name} ({describe(p)}){fits ? '' : ` — more than ${MAX_STEPS} steps with this arm's`}
              </option>
            );
          })}
        </select>
      ) : null}
      {guards.length > 0 && (
        <form
          className="guard-pipelines__save"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) void save();
          }}
        >
          <input aria-label={`Pipeline name for ${label}`} placeholder={guards.length === 1 ? 'Name this guard' : `Name these ${guards.length} guards`} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="button button--small" disabled={name.trim() === ''}>
            Save as pipeline
          </button>
        </form>
      )}
      {pipelines.length > 0 && (
        <details className="guard-pipelines__saved">
          <summary>Saved pipelines ({pipelines.length})</summary>
          <ul>
            {pipelines.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong> <span className="muted">{describe(p)}</span>
                <button type="button" className="link-button" aria-label={`Delete saved pipeline ${p.name}`} onClick={() => void remove(p)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
      {message && (
        <span role={message.problem ? 'alert' : 'status'} className={message.problem ? 'problem problem--error' : 'muted'}>
          {message.text}
        </span>
      )}
    </div>
  );
}

export interface RunPipelineUse {
  armIndex: number;
  name: string;
}

/** The pipelines each arm of a run used, from the run's record; fetched only for runs with guards. */
export function useRunPipelines(runId: string, hasGuards: boolean): ReadonlyMap<number, string[]> {
  const [uses, setUses] = useState<{ runId: string; byArm: Map<number, string[]> } | null>(null);
  useEffect(() => {
    if (!hasGuards) return;
    let live = true;
    api.call('moderation:runPipelines', { runId }).then(
      (rows) => {
        if (!live) return;
        const byArm = new Map<number, string[]>();
        for (const row of rows) byArm.set(row.armIndex, [...(byArm.get(row.armIndex) ?? []), row.name]);
        setUses({ runId, byArm });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [runId, hasGuards]);
  return uses?.runId === runId ? uses.byArm : EMPTY;
}
const EMPTY: ReadonlyMap<number, string[]> = new Map();
