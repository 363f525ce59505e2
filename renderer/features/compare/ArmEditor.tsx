import { useId } from 'react';
import type { Reattach } from '../../../shared/arms/edit';
import { armRole } from '../../../shared/arms/model';
import { armName, armRef } from '../../../shared/labels';
import type { ResolvedArmRequest } from '../../../shared/arms/resolve';
import type { ArmConfig, BaselineArm, DerivedArm, DetachedArm, InferenceSettings, Turn, Variable } from '../../../shared/domain';
import type { StepConfig } from '../../../shared/steps';
import { findTechnique, type Technique } from '../../../shared/techniques';
import { Icon } from '../../components/Icon';
import type { StepEditorContext } from '../../components/steps/registry';
import type { ModelOption } from '../../stores/compare';
import { ImageSettingsFields } from '../../components/images/ImageSettingsFields';
import type { Medium } from '../../../shared/images';
import { ResolvedPreview } from './ResolvedPreview';
import { StepList } from './StepList';

export interface ArmEditorProps {
  arm: ArmConfig;
  index: number;
  /** The baseline (arms[0]): derived arms show its values as their defaults. */
  baseline: BaselineArm;
  resolved: ResolvedArmRequest;
  baselineResolved: ResolvedArmRequest;
  techniques: Technique[];
  models: ModelOption[];
  variables: Variable[];
  missing: string[];
  invalid: string[];
  emptyPrompt: boolean;
  canRemove: boolean;
  /** For a variant: the derived arm it can go back to, if any. */
  reattach: Reattach | null;
  onChange(arm: ArmConfig): void;
  onRemove(): void;
  onDefineVariable(name: string): void;
  onDetach(): void;
  onReattach(): void;
  /** The baseline only: make the comparison one of text answers or of images. */
  onMedium?(medium: Medium): void;
}

function numberOrUndefined(value: string): number | undefined {
  if (value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function InferenceFields(props: { value: InferenceSettings; label: string; defaults?: InferenceSettings; onChange(value: InferenceSettings): void }) {
  const hint = (key: 'temperature' | 'topP' | 'maxTokens') => (props.defaults?.[key] !== undefined ? String(props.defaults[key]) : 'default');
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
          placeholder={hint('temperature')}
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
          placeholder={hint('topP')}
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
          placeholder={hint('maxTokens')}
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

function ModelField(props: { label: string; value: string; placeholder?: string; models: ModelOption[]; onChange(value: string): void }) {
  const listId = useId();
  const known = props.models.find((m) => m.id === (props.value || props.placeholder));
  return (
    <label className="field field--compact">
      <span className="field__label">
        Model{known && <span className="muted field__hint" title={known.id}> · {known.name}</span>}
      </span>
      <input
        aria-label={`${props.label} model`}
        list={props.models.length > 0 ? listId : undefined}
        value={props.value}
        placeholder={props.placeholder}
        title={props.value || props.placeholder}
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value.trim())}
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
  );
}

function Problems(props: { label: string; missing: string[]; invalid: string[]; emptyPrompt: boolean; onDefineVariable(name: string): void }) {
  if (props.missing.length === 0 && props.invalid.length === 0 && !props.emptyPrompt) return null;
  return (
    <ul className="problems" aria-label={`${props.label} problems`}>
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
  );
}

/** The request fields a baseline or a variant holds as its own text. */
function RequestFields<A extends BaselineArm | DetachedArm>(props: { arm: A; label: string; models: ModelOption[]; missing: string[]; emptyPrompt: boolean; onChange(arm: A): void }) {
  const { arm, label } = props;
  const set = (patch: Partial<Pick<BaselineArm, 'modelId' | 'inference' | 'system' | 'history' | 'template' | 'image'>>) => props.onChange({ ...arm, ...patch });
  if (arm.image) {
    const image = arm.image;
    return (
      <>
        <ImageSettingsFields label={label} modelId={arm.modelId} value={image} onModel={(modelId) => set({ modelId })} onChange={(next) => set({ image: next })} />
        <label className="field field--compact">
          <span className="field__label">Image prompt</span>
          <textarea
            rows={3}
            className={props.missing.length > 0 || props.emptyPrompt ? 'input--invalid' : ''}
            aria-label={`${label} prompt`}
            value={arm.template}
            onChange={(e) => set({ template: e.target.value })}
          />
        </label>
      </>
    );
  }
  return (
    <>
      <ModelField label={label} value={arm.modelId} models={props.models} onChange={(modelId) => set({ modelId })} />
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
        <p className="muted editor-section__hint">Turns replayed before the prompt, e.g. to show persona hijacking or a prompt injection.</p>
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
    </>
  );
}

function techniqueName(step: StepConfig | undefined, techniques: Technique[]): string | undefined {
  return step?.kind === 'technique' ? findTechnique(techniques, step.techniqueId)?.name : undefined;
}

/**
 * One arm: the baseline holds the request; a mitigated arm its steps, overrides and its resolved
 * request live (with a diff against the baseline's); a variant its own text.
 */
export function ArmEditor(props: ArmEditorProps) {
  const { arm, index } = props;
  const role = armRole(arm);
  const label = arm.label || armRef(index);
  const ctx: StepEditorContext = {
    techniques: props.techniques,
    variables: props.variables,
    models: props.models,
    armModelId: props.resolved.request.modelId,
  };
  /** Steps changed: a label that named the old technique follows the new one. */
  const setSteps = (current: DerivedArm | DetachedArm, steps: StepConfig[]) => {
    const before = techniqueName(current.steps.find((s) => s.kind === 'technique'), props.techniques);
    const after = techniqueName(steps.find((s) => s.kind === 'technique'), props.techniques);
    const relabel = before !== undefined && after !== undefined && current.label === before;
    props.onChange({ ...current, steps, ...(relabel ? { label: after } : {}) });
  };

  return (
    <article className={`arm-editor arm-editor--${arm.mode}`} aria-label={armName(index, arm.label)} data-mode={arm.mode}>
      <header className="arm-editor__header">
        <span className={`arm__role arm__role--${arm.mode === 'baseline' ? 'baseline' : arm.mode === 'derived' ? 'mitigated' : 'variant'}`}>{role}</span>
        <textarea
          className="arm-editor__label"
          aria-label={`${armRef(index)} label`}
          rows={1}
          value={arm.label}
          maxLength={80}
          onChange={(e) => props.onChange({ ...arm, label: e.target.value.replace(/\n/g, ' ') })}
        />
        {props.canRemove && (
          <button type="button" className="icon-button" aria-label={`Remove ${label}`} title="Remove this arm" onClick={props.onRemove}>
            <Icon name="trash" size={15} />
          </button>
        )}
      </header>

      <div className="arm-editor__body">
        {arm.mode === 'baseline' && (
          <>
            {props.onMedium && (
              <div className="medium-switch" role="group" aria-label="Kind of comparison">
                <button type="button" aria-pressed={!arm.image} onClick={() => props.onMedium!('text')}>
                  Text answers
                </button>
                <button type="button" aria-pressed={Boolean(arm.image)} onClick={() => props.onMedium!('image')}>
                  Images
                </button>
              </div>
            )}
            <p className="muted arm-editor__note">Every mitigated arm starts from this request: edit it here and they all follow.</p>
            <RequestFields arm={arm} label={label} models={props.models} missing={props.missing} emptyPrompt={props.emptyPrompt} onChange={props.onChange} />
            <Problems label={label} missing={props.missing} invalid={props.invalid} emptyPrompt={props.emptyPrompt} onDefineVariable={props.onDefineVariable} />
          </>
        )}

        {arm.mode === 'derived' && (
          <>
            <p className="muted arm-editor__note">Follows the baseline: what it sends is the baseline&apos;s request with these steps applied.</p>
            <StepList label={label} steps={arm.steps} resolved={props.resolved.steps} ctx={ctx} medium={props.baseline.image ? 'image' : 'text'} onChange={(steps) => setSteps(arm, steps)} />
            <details className="arm-editor__more" open={arm.overrides.modelId !== undefined || Object.keys(arm.overrides.inference ?? {}).length > 0}>
              <summary>Model and settings {arm.overrides.modelId || arm.overrides.inference ? '(own)' : '(the baseline\'s)'}</summary>
              <ModelField
                label={label}
                value={arm.overrides.modelId ?? ''}
                placeholder={`${props.baseline.modelId} (baseline)`}
                models={props.models}
                onChange={(modelId) => {
                  const { modelId: _dropped, ...rest } = arm.overrides;
                  props.onChange({ ...arm, overrides: modelId ? { ...rest, modelId } : rest });
                }}
              />
              <InferenceFields
                value={arm.overrides.inference ?? {}}
                defaults={props.baseline.inference}
                label={label}
                onChange={(inference) => {
                  const { inference: _dropped, ...rest } = arm.overrides;
                  props.onChange({ ...arm, overrides: Object.keys(inference).length > 0 ? { ...rest, inference } : rest });
                }}
              />
            </details>
            <ResolvedPreview label={label} baseline={props.baselineResolved} resolved={props.resolved} />
            <Problems label={label} missing={props.missing} invalid={props.invalid} emptyPrompt={false} onDefineVariable={props.onDefineVariable} />
            <div className="arm-editor__footer">
              <button type="button" className="button button--small button--ghost" onClick={props.onDetach} title="Give this arm its own text; it stops following the baseline">
                Detach as a variant
              </button>
            </div>
          </>
        )}

        {arm.mode === 'detached' && (
          <>
            <div className="arm-editor__detached" role="note">
              <strong>No longer follows the baseline.</strong> This variant sends its own text: editing the baseline does not change it.
              {props.reattach && (
                <button type="button" className="button button--small" onClick={props.onReattach}>
                  Re-attach to the baseline
                </button>
              )}
            </div>
            <RequestFields arm={arm} label={label} models={props.models} missing={props.missing} emptyPrompt={props.emptyPrompt} onChange={props.onChange} />
            <Problems label={label} missing={props.missing} invalid={props.invalid} emptyPrompt={props.emptyPrompt} onDefineVariable={props.onDefineVariable} />
            <StepList label={label} steps={arm.steps} resolved={props.resolved.steps} ctx={ctx} variant medium={arm.image ? 'image' : 'text'} onChange={(steps) => setSteps(arm, steps)} />
            <ResolvedPreview label={label} baseline={props.baselineResolved} resolved={props.resolved} detached />
          </>
        )}
      </div>
    </article>
  );
}
