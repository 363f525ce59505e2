import { useId } from 'react';
import type { ArmConfig, InferenceSettings, Turn } from '../../../shared/domain';
import { findTechnique, type Technique } from '../../../shared/techniques';
import { Icon } from '../../components/Icon';
import type { ModelOption } from '../../stores/compare';

export interface ArmEditorProps {
  arm: ArmConfig;
  index: number;
  techniques: Technique[];
  models: ModelOption[];
  missing: string[];
  invalid: string[];
  emptyPrompt: boolean;
  canRemove: boolean;
  onChange(arm: ArmConfig): void;
  onApplyTechnique(techniqueId: string): void;
  onRemove(): void;
  onDefineVariable(name: string): void;
}

function numberOrUndefined(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function InferenceFields(props: { value: InferenceSettings; label: string; onChange(value: InferenceSettings): void }) {
  const { value } = props;
  const set = (patch: Partial<InferenceSettings>) => {
    const next: InferenceSettings = { ...value, ...patch };
    for (const key of Object.keys(next) as (keyof InferenceSettings)[]) if (next[key] === undefined) delete next[key];
    props.onChange(next);
  };
  return (
    <div className="inference-grid">
      <label className="field field--compact">
        <span className="field__label">Temperature</span>
        <input
          type="number"
          min={0}
          max={1}
          step={0.1}
          aria-label={`${props.label} temperature`}
          value={value.temperature ?? ''}
          placeholder="default"
          onChange={(e) => set({ temperature: numberOrUndefined(e.target.value) })}
        />
      </label>
      <label className="field field--compact">
        <span className="field__label">Top P</span>
        <input
          type="number"
          min={0}
          max={1}
          step={0.05}
          aria-label={`${props.label} top P`}
          value={value.topP ?? ''}
          placeholder="default"
          onChange={(e) => set({ topP: numberOrUndefined(e.target.value) })}
        />
      </label>
      <label className="field field--compact">
        <span className="field__label">Max tokens</span>
        <input
          type="number"
          min={1}
          step={64}
          aria-label={`${props.label} max tokens`}
          value={value.maxTokens ?? ''}
          placeholder="default"
          onChange={(e) => set({ maxTokens: numberOrUndefined(e.target.value) })}
        />
      </label>
      <label className="field field--compact field--wide">
        <span className="field__label">Stop sequences (one per line, up to 4)</span>
        <textarea
          rows={1}
          aria-label={`${props.label} stop sequences`}
          value={(value.stopSequences ?? []).join('\n')}
          onChange={(e) => {
            const list = e.target.value.split('\n').filter((s, i, all) => s !== '' || i === all.length - 1);
            set({ stopSequences: list.length > 0 && list.some((s) => s !== '') ? list.slice(0, 4) : undefined });
          }}
        />
      </label>
    </div>
  );
}

function Conversation(props: { turns: Turn[]; label: string; onChange(turns: Turn[]): void }) {
  const { turns } = props;
  return (
    <div className="conversation">
      {turns.map((turn, index) => (
        <div key={index} className={`conversation__turn conversation__turn--${turn.role}`}>
          <select
            aria-label={`${props.label} turn ${index + 1} role`}
            value={turn.role}
            onChange={(e) => props.onChange(turns.map((t, i) => (i === index ? { ...t, role: e.target.value as Turn['role'] } : t)))}
          >
            <option value="user">User</option>
            <option value="assistant">Assistant</option>
          </select>
          <textarea
            rows={2}
            aria-label={`${props.label} turn ${index + 1} text`}
            value={turn.text}
            onChange={(e) => props.onChange(turns.map((t, i) => (i === index ? { ...t, text: e.target.value } : t)))}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove turn ${index + 1} from ${props.label}`}
            onClick={() => props.onChange(turns.filter((_, i) => i !== index))}
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button--small button--ghost"
        onClick={() => props.onChange([...turns, { role: turns.at(-1)?.role === 'user' ? 'assistant' : 'user', text: '' }])}
      >
        <Icon name="plus" size={14} /> Add earlier turn
      </button>
    </div>
  );
}

/** One arm's configuration: label, technique, model, inference, system prompt, conversation, prompt. */
export function ArmEditor(props: ArmEditorProps) {
  const { arm, index } = props;
  const baseline = index === 0;
  const role = baseline ? 'baseline' : 'mitigated';
  const listId = useId();
  const technique = findTechnique(props.techniques, arm.technique);
  const label = arm.label || `Arm ${index + 1}`;
  const set = (patch: Partial<ArmConfig>) => props.onChange({ ...arm, ...patch });

  return (
    <article className={`arm-editor arm-editor--${role}`} aria-label={`Arm ${index + 1}: ${label}`}>
      <header className="arm-editor__header">
        <span className={`arm__role arm__role--${role}`}>{baseline ? 'Baseline' : `Variant ${index}`}</span>
        <input
          className="arm-editor__label"
          aria-label={`Arm ${index + 1} label`}
          value={arm.label}
          maxLength={80}
          onChange={(e) => set({ label: e.target.value })}
        />
        {props.canRemove && (
          <button type="button" className="icon-button" aria-label={`Remove ${label}`} title="Remove this arm" onClick={props.onRemove}>
            <Icon name="trash" size={15} />
          </button>
        )}
      </header>

      <div className="arm-editor__body">
        {!baseline && (
          <label className="field field--compact">
            <span className="field__label">Technique</span>
            <select aria-label={`${label} technique`} value={arm.technique} onChange={(e) => props.onApplyTechnique(e.target.value)}>
              {!technique && <option value={arm.technique}>{arm.technique}</option>}
              {props.techniques.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                  {t.builtIn ? '' : ' (yours)'}
                </option>
              ))}
            </select>
          </label>
        )}
        {technique && !baseline && (
          <details className="technique-note">
            <summary>{technique.summary || 'About this technique'}</summary>
            <p>{technique.explanation}</p>
          </details>
        )}

        <label className="field field--compact">
          <span className="field__label">Model</span>
          <input
            aria-label={`${label} model`}
            list={props.models.length > 0 ? listId : undefined}
            value={arm.modelId}
            spellCheck={false}
            onChange={(e) => set({ modelId: e.target.value.trim() })}
          />
          {props.models.length > 0 && (
            <datalist id={listId}>
              {props.models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </datalist>
          )}
        </label>

        <details className="arm-editor__more">
          <summary>Inference settings</summary>
          <InferenceFields value={arm.inference} label={label} onChange={(inference) => set({ inference })} />
        </details>

        <label className="field field--compact">
          <span className="field__label">System prompt (optional)</span>
          <textarea rows={2} aria-label={`${label} system prompt`} value={arm.system} onChange={(e) => set({ system: e.target.value })} />
        </label>

        <details className="arm-editor__more" open={arm.history.length > 0}>
          <summary>Earlier conversation {arm.history.length > 0 ? `(${arm.history.length} turns)` : ''}</summary>
          <p className="muted editor-section__hint">
            Turns replayed before the prompt, e.g. to show persona hijacking or a prompt injection.
          </p>
          <Conversation turns={arm.history} label={label} onChange={(history) => set({ history })} />
        </details>

        <label className="field field--compact">
          <span className="field__label">Prompt</span>
          <textarea
            rows={5}
            className={props.missing.length > 0 || props.emptyPrompt ? 'input--invalid' : ''}
            aria-label={`${label} prompt`}
            value={arm.template}
            onChange={(e) => set({ template: e.target.value })}
          />
        </label>

        {(props.missing.length > 0 || props.invalid.length > 0 || props.emptyPrompt) && (
          <ul className="problems" aria-label={`${label} problems`}>
            {props.emptyPrompt && <li className="problem problem--error">Write a prompt for this arm.</li>}
            {props.missing.map((name) => (
              <li key={name} className="problem problem--error">
                <code>{`\${${name}}`}</code> is not defined.
                <button type="button" className="link-button" onClick={() => props.onDefineVariable(name)}>
                  Add variable
                </button>
              </li>
            ))}
            {props.invalid.map((body) => (
              <li key={body} className="problem problem--warning">
                <code>{`\${${body}}`}</code> is not a variable name and is sent as written.
              </li>
            ))}
          </ul>
        )}
      </div>
    </article>
  );
}
