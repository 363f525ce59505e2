import type { StepEditorProps } from './registry';

/** "Specify what is left open": the details, added after the request (may use `${name}`s). */
export function SpecifyStepEditor(props: StepEditorProps<'specify'>) {
  const { step } = props;
  return (
    <div className="step-editor step-editor--specify">
      <textarea
        rows={3}
        aria-label={`${props.label} details`}
        className={step.details.trim() === '' ? 'input--invalid' : ''}
        placeholder="Who, where, what kind: what the request leaves the model to assume"
        value={step.details}
        onChange={(e) => props.onChange({ ...step, details: e.target.value })}
      />
    </div>
  );
}
