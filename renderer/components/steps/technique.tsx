import { findTechnique } from '../../../shared/techniques';
import type { StepEditorProps } from './registry';

/** A technique step: pick one from the library; its summary and explanation are one click away. */
export function TechniqueStepEditor(props: StepEditorProps<'technique'>) {
  const { step, ctx } = props;
  const technique = findTechnique(ctx.techniques as never, step.techniqueId);
  return (
    <div className="step-editor step-editor--technique">
      <select aria-label={`${props.label} technique`} value={step.techniqueId} onChange={(e) => props.onChange({ ...step, techniqueId: e.target.value })}>
        {!technique && <option value={step.techniqueId}>{step.techniqueId} (not in your library)</option>}
        {ctx.techniques
          .filter((t) => t.id !== 'plain')
          .map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.builtIn ? '' : ' (yours)'}
            </option>
          ))}
      </select>
      {technique && (
        <details className="technique-note">
          <summary>{technique.summary || 'About this technique'}</summary>
          <p>{technique.explanation}</p>
        </details>
      )}
    </div>
  );
}
