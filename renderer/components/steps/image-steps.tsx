/** The image step kinds (issue 12): their editors and what they did in the column's timeline. */
import { useState } from 'react';
import { ImageChatDetail, ImageNegativeDetail, ImagePromptDetail } from '../../../shared/steps/details';
import { DEFAULT_INCLUSIVE_ADDITION } from '../../../shared/steps/kinds/image-inclusive';
import { DEFAULT_NEGATIVE_PHRASES } from '../../../shared/steps/kinds/image-negative';
import type { StepTrace } from '../../../shared/steps/trace';
import { ModelSelect } from './ModelSelect';
import type { StepEditorProps } from './registry';

export function ImageInclusiveEditor(props: StepEditorProps<'image-inclusive'>) {
  const { step } = props;
  return (
    <div className="step-editor">
      <textarea
        rows={2}
        aria-label={`${props.label} addition`}
        className={step.addition.trim() === '' ? 'input--invalid' : ''}
        value={step.addition}
        onChange={(e) => props.onChange({ ...step, addition: e.target.value })}
      />
    </div>
  );
}

export function ImageNegativeEditor(props: StepEditorProps<'image-negative'>) {
  const { step } = props;
  const [text, setText] = useState(step.phrases.join(', '));
  return (
    <div className="step-editor">
      <textarea
        rows={3}
        aria-label={`${props.label} phrases`}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const phrases = e.target.value.split(',').map((p) => p.trim()).filter((p) => p !== '');
          if (phrases.length > 0) props.onChange({ ...step, phrases: phrases.slice(0, 60) });
        }}
      />
      <p className="muted step-editor__hint">
        Separated by commas. Sent as the model’s negative text (Titan, Nova) or as a prompt with a negative weight (SDXL).{' '}
        <button type="button" className="link-button" onClick={() => { setText(DEFAULT_NEGATIVE_PHRASES.join(', ')); props.onChange({ ...step, phrases: [...DEFAULT_NEGATIVE_PHRASES] }); }}>
          Reset to the default list
        </button>
      </p>
    </div>
  );
}

export function ImageChatEditor(props: StepEditorProps<'image-chat'>) {
  const { step, ctx } = props;
  return (
    <div className="step-editor">
      <ModelSelect
        label={`${props.label} prompt writer`}
        value={step.modelId}
        models={ctx.models}
        defaultLabel="Your default generation model"
        onChange={(modelId) => props.onChange(modelId ? { ...step, modelId } : { kind: step.kind, maxQuestions: step.maxQuestions })}
      />
      <label className="step-editor__field">
        <span>Questions it may ask</span>
        <input type="number" min={1} max={5} value={step.maxQuestions} aria-label={`${props.label} questions`} onChange={(e) => props.onChange({ ...step, maxQuestions: Math.min(5, Math.max(1, Number(e.target.value) || 1)) })} />
      </label>
      <p className="muted step-editor__hint">When the picture involves people, the writer asks you about them in the column before it writes the image prompt.</p>
    </div>
  );
}

export function ImagePromptView({ step }: { step: StepTrace }) {
  const prompt = ImagePromptDetail.safeParse(step.detail);
  const negative = ImageNegativeDetail.safeParse(step.detail);
  if (prompt.success) return <div><h4>Image prompt after this step</h4><pre>{prompt.data.prompt}</pre></div>;
  if (negative.success) return <div><h4>Negative prompt after this step</h4><pre>{negative.data.negativeText}</pre></div>;
  return <p className="muted">{step.summary ?? 'No detail was saved for this step.'}</p>;
}

export function ImageChatView({ step }: { step: StepTrace }) {
  const parsed = ImageChatDetail.safeParse(step.detail);
  if (!parsed.success) return <p className="muted">{step.summary ?? 'The prompt writer had not answered yet.'}</p>;
  return (
    <>
      <ol className="image-chat" aria-label="Conversation with the prompt writer">
        {parsed.data.chat.map((turn, index) => (
          <li key={index} className={`image-chat__turn image-chat__turn--${turn.role}`}>
            <span className="muted">{turn.role === 'user' ? 'You' : 'Prompt writer'}: </span>
            {turn.text}
          </li>
        ))}
      </ol>
      {parsed.data.prompt && (
        <div>
          <h4>Image prompt it wrote</h4>
          <pre data-testid="image-prompt">{parsed.data.prompt}</pre>
        </div>
      )}
    </>
  );
}

export const IMAGE_STEP_DEFAULTS = {
  inclusive: DEFAULT_INCLUSIVE_ADDITION,
  negative: [...DEFAULT_NEGATIVE_PHRASES],
};
