/** "Rewrite with a model": which model rewrites the request each run, and with what instruction. */
import { SUGGEST_SYSTEM_PROMPT } from '../../../shared/techniques';
import type { EditorProps } from './editor-types';
import { ModelSelect } from './ModelSelect';

export function RewriteStepEditor(props: EditorProps<'rewrite'>) {
  const { step } = props;
  return (
    <div className="step-editor step-editor--rewrite">
      <ModelSelect
        label={`${props.label} rewriter model`}
        value={step.modelId}
        models={props.ctx.models}
        defaultLabel="Default generation model (Settings)"
        onChange={(modelId) => {
          const { modelId: _drop, ...rest } = step;
          props.onChange(modelId ? { ...rest, modelId } : rest);
        }}
      />
      <label className="step-editor__field">
        <span>Instruction (empty: remove loaded assumptions, as Suggest does)</span>
        <textarea
          rows={3}
          aria-label={`${props.label} instruction`}
          placeholder={SUGGEST_SYSTEM_PROMPT}
          value={step.instruction ?? ''}
          onChange={(e) => props.onChange({ ...step, instruction: e.target.value })}
        />
      </label>
    </div>
  );
}
