import type { ResolvedStep } from '../../../shared/arms/resolve';
import { MAX_STEPS, STEP_KINDS, type StepConfig, type StepKind } from '../../../shared/steps';
import { Icon } from '../../components/Icon';
import { addableKinds, stepUi, type StepEditorContext } from '../../components/steps/registry';
import { PipelinePicker } from '../../components/steps/guard-pipelines';

const STATUS: Record<ResolvedStep['status'], string> = {
  applied: 'Applied below',
  'at-run': 'Applied when the arm runs',
  answer: 'Runs on the answer',
  problem: 'Needs attention',
};

/** An arm's ordered mitigation steps: add from the step kinds, edit, reorder, remove. */
export function StepList(props: {
  label: string;
  steps: StepConfig[];
  resolved: ResolvedStep[];
  ctx: StepEditorContext;
  /** A variant sends its own text (the empty list says so). */
  variant?: boolean;
  /** Image arms list the image steps; text arms the others. */
  medium?: 'text' | 'image';
  onChange(steps: StepConfig[]): void;
}) {
  const { steps, label } = props;
  const kinds = addableKinds(props.medium);
  const move = (from: number, to: number) => {
    const next = steps.slice();
    const [step] = next.splice(from, 1);
    next.splice(to, 0, step!);
    props.onChange(next);
  };
  const add = (kind: StepKind) => {
    const ui = stepUi(kind);
    if (!ui) return;
    props.onChange([...steps, ui.create(props.ctx)]);
  };

  return (
    <div className="steps">
      <div className="steps__title field__label">Mitigation steps</div>
      {steps.length === 0 && (
        <p className="muted steps__empty">
          {props.variant ? 'No steps: this variant sends its own text above, as written.' : "No steps: this arm sends the baseline's request (with its own model or settings, if set)."}
        </p>
      )}
      <ol className="steps__list" aria-label={`${label} steps`}>
        {steps.map((step, index) => {
          const info = STEP_KINDS[step.kind];
          const ui = stepUi(step.kind);
          const resolved = props.resolved[index];
          const sameKind = steps.filter((s) => s.kind === step.kind).length;
          const stepLabel = sameKind === 1 ? label : `${label} step ${index + 1}`;
          const name = resolved?.label ?? info?.name ?? step.kind;
          const Editor = ui?.Editor;
          return (
            <li key={index} className={`step step--${resolved?.status ?? 'applied'}`} data-kind={step.kind}>
              <div className="step__header">
                <span className="step__index" aria-hidden="true">
                  {index + 1}
                </span>
                <span className="step__kind" title={info?.summary}>
                  {info?.name ?? step.kind}
                </span>
                {resolved && <span className={`chip step__status step__status--${resolved.status}`}>{STATUS[resolved.status]}</span>}
                {'pipeline' in step && step.pipeline && (
                  <span className="chip step__pipeline" title="From a saved moderation pipeline">
                    {step.pipeline.name}
                  </span>
                )}
                <span className="step__actions">
                  <button type="button" className="icon-button" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => move(index, index - 1)}>
                    <span aria-hidden="true">↑</span>
                  </button>
                  <button type="button" className="icon-button" aria-label={`Move ${name} down`} disabled={index === steps.length - 1} onClick={() => move(index, index + 1)}>
                    <span aria-hidden="true">↓</span>
                  </button>
                  <button type="button" className="icon-button" aria-label={`Remove step ${name} from ${label}`} onClick={() => props.onChange(steps.filter((_, i) => i !== index))}>
                    <Icon name="close" size={13} />
                  </button>
                </span>
              </div>
              {Editor ? (
                <Editor step={step as never} label={stepLabel} ctx={props.ctx} onChange={(next) => props.onChange(steps.map((s, i) => (i === index ? (next as StepConfig) : s)))} />
              ) : (
                <p className="muted step__summary">{info?.summary}</p>
              )}
              {resolved?.problem && (
                <p className="problem problem--error" role="alert">
                  {resolved.problem}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      {steps.length < MAX_STEPS && kinds.length > 0 && (
        <div className="steps__add">
          <select
            aria-label={`Add a step to ${label}`}
            value=""
            onChange={(e) => {
              if (e.target.value) add(e.target.value as StepKind);
            }}
          >
            <option value="">+ Add a step…</option>
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {STEP_KINDS[kind].name}
              </option>
            ))}
          </select>
        </div>
      )}
      {props.medium !== 'image' && <PipelinePicker label={label} steps={steps} onChange={props.onChange} />}
    </div>
  );
}
