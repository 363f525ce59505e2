/**
 * Moderation pipelines in the arm editor (issue 10): apply a saved pipeline to an arm (its guards
 * become one group of steps, tagged with the pipeline's name), or save the arm's guards as a new
 * pipeline. Re-applying a pipeline replaces that pipeline's steps with its current guards.
 */
import { useEffect, useState } from 'react';
import { applyPipeline, pipelinesOf, type ModerationPipeline } from '../../../shared/moderation/pipeline';
import { isGuardStep, stepPhase, type StepConfig } from '../../../shared/steps/registry';
import { api, errorMessage } from '../../lib/api';

export function PipelinePicker(props: { label: string; steps: StepConfig[]; onChange(steps: StepConfig[]): void }) {
  const [pipelines, setPipelines] = useState<ModerationPipeline[]>([]);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () =>
    api.call('moderation:listPipelines', {}).then(setPipelines, (error: unknown) => setMessage(errorMessage(error)));
  useEffect(() => {
    void refresh();
  }, []);
  const guards = props.steps.filter(isGuardStep);
  const used = pipelinesOf(props.steps);
  const save = async () => {
    try {
      const input = guards.filter((s) => stepPhase(s) === 'request').map((s) => ({ ...s, pipeline: undefined }));
      const output = guards.filter((s) => stepPhase(s) === 'answer').map((s) => ({ ...s, pipeline: undefined }));
      const saved = await api.call('moderation:savePipeline', { name, input, output });
      setName('');
      setMessage(`Saved “${saved.name}”.`);
      await refresh();
    } catch (error) {
      setMessage(errorMessage(error));
    }
  };
  return (
    <div className="guard-editor guard-pipelines">
      {pipelines.length > 0 && (
        <label>
          Moderation pipeline
          <select
            aria-label={`Apply a moderation pipeline to ${props.label}`}
            value=""
            onChange={(e) => {
              const pipeline = pipelines.find((p) => p.id === e.target.value);
              if (pipeline) props.onChange(applyPipeline(props.steps, pipeline));
            }}
          >
            <option value="">Apply a saved pipeline…</option>
            {pipelines.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.input.length} in, {p.output.length} out{p.runCount ? `, used by ${p.runCount} runs` : ''})
              </option>
            ))}
          </select>
        </label>
      )}
      {used.length > 0 && <span className="muted">From: {used.map((p) => p.name).join(', ')}</span>}
      {guards.length > 0 && (
        <label>
          <input aria-label={`Pipeline name for ${props.label}`} placeholder="Name these guards" value={name} onChange={(e) => setName(e.target.value)} />
          <button type="button" className="button button--small" disabled={name.trim() === ''} onClick={() => void save()}>
            Save as pipeline
          </button>
        </label>
      )}
      {message && (
        <span role="status" className="muted">
          {message}
        </span>
      )}
    </div>
  );
}
