/**
 * Config editors of the guard steps (issue 10): where it runs (input / output), what it does
 * when it fires (flag / redact / block), the threshold, the model (classifier, toxicity judge),
 * the PII types and redaction style, and the Bedrock Guardrail picked from the account's list.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { PII_LABELS, PII_TYPES } from '../../../shared/moderation/pii';
import { STEP_KINDS, type StepKind, type StepOf } from '../../../shared/steps/registry';
import type { CatalogGuardrail } from '../../../shared/contract/models';
import { ACCOUNT_GUARDRAIL } from '../../../shared/steps/kinds/guard-guardrail';
import { api } from '../../lib/api';
import './guard.css';

/** The same shape as StepEditorProps in registry.tsx, kept here so these editors compile alone. */
export interface GuardEditorProps<K extends StepKind> {
  step: StepOf<K>;
  label: string;
  ctx: { models: readonly { id: string; name: string }[]; armModelId: string };
  onChange(step: StepOf<K>): void;
}

/** Field names carry the guard's name: an arm may hold several guards, each with a stage and an action. */
function named<K extends StepKind>(props: GuardEditorProps<K>): GuardEditorProps<K> {
  return { ...props, label: `${props.label} ${STEP_KINDS[props.step.kind].name}` };
}

type Stage = 'input' | 'output';
type Action = 'flag' | 'redact' | 'block';
interface Base {
  step: { stage: Stage; action: Action };
  label: string;
  onChange(step: never): void;
}

function Common({ props, actions, children }: { props: Base; actions: readonly Action[]; children?: ReactNode }) {
  const { step, label } = props;
  const set = (patch: Partial<Base['step']>) => (props.onChange as (step: unknown) => void)({ ...step, ...patch });
  return (
    <div className="guard-editor">
      <label>
        Check
        <select aria-label={`${label} stage`} value={step.stage} onChange={(e) => set({ stage: e.target.value as Stage })}>
          <option value="input">the request (before the model)</option>
          <option value="output">the answer (after the model)</option>
        </select>
      </label>
      <label>
        When it fires
        <select aria-label={`${label} action`} value={step.action} onChange={(e) => set({ action: e.target.value as Action })}>
          {actions.map((action) => (
            <option key={action} value={action}>
              {action === 'flag' ? 'flag and go on' : action === 'redact' ? 'redact and go on' : step.stage === 'input' ? 'block (the model is not called)' : 'block (replace the answer)'}
            </option>
          ))}
        </select>
      </label>
      {children}
    </div>
  );
}

function Threshold({ props }: { props: { step: { threshold: number }; label: string; onChange(step: never): void } }) {
  const { step } = props;
  const change = props.onChange as (step: unknown) => void;
  return (
    <label>
      Threshold
      <input
        type="number"
        min={0}
        max={1}
        step={0.05}
        aria-label={`${props.label} threshold`}
        value={step.threshold}
        onChange={(e) => {
          const value = Number(e.target.value);
          if (Number.isFinite(value) && value >= 0 && value <= 1) change({ ...step, threshold: value });
        }}
      />
    </label>
  );
}

function ModelPick({ props, what }: { props: { step: { modelId?: string | undefined }; label: string; ctx: GuardEditorProps<'guard-toxicity'>['ctx']; onChange(step: never): void }; what: string }) {
  const { step, ctx } = props;
  const change = props.onChange as (step: unknown) => void;
  return (
    <label>
      {what}
      <select aria-label={`${props.label} model`} value={step.modelId ?? ''} onChange={(e) => change({ ...step, modelId: e.target.value || undefined })}>
        <option value="">the arm’s own model ({ctx.armModelId})</option>
        {ctx.models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function GuardInjectionEditor(given: GuardEditorProps<'guard-injection'>) {
  const props = named(given);
  return (
    <Common props={props} actions={['flag', 'redact', 'block']}>
      <Threshold props={props} />
    </Common>
  );
}

export function GuardClassifierEditor(given: GuardEditorProps<'guard-classifier'>) {
  const props = named(given);
  return (
    <Common props={props} actions={['flag', 'block']}>
      <ModelPick props={props} what="Classifier" />
      <Threshold props={props} />
    </Common>
  );
}

export function GuardToxicityEditor(given: GuardEditorProps<'guard-toxicity'>) {
  const props = named(given);
  return (
    <Common props={props} actions={['flag', 'block']}>
      <ModelPick props={props} what="Judge" />
      <Threshold props={props} />
    </Common>
  );
}

export function GuardPiiEditor(given: GuardEditorProps<'guard-pii'>) {
  const props = named(given);
  const { step, label } = props;
  return (
    <Common props={props} actions={['flag', 'redact', 'block']}>
      <label>
        Redact with
        <select aria-label={`${label} redaction style`} value={step.style} onChange={(e) => props.onChange({ ...step, style: e.target.value as 'placeholder' | 'mask' })}>
          <option value="placeholder">typed placeholders ([EMAIL])</option>
          <option value="mask">a mask character</option>
        </select>
      </label>
      {step.style === 'mask' && (
        <label>
          Mask
          <input aria-label={`${label} mask character`} size={2} maxLength={1} value={step.maskChar} onChange={(e) => e.target.value && props.onChange({ ...step, maskChar: e.target.value })} />
        </label>
      )}
      <fieldset>
        <legend>Per type</legend>
        {PII_TYPES.map((type) => (
          <label key={type}>
            {PII_LABELS[type].label}
            <select
              aria-label={`${label} ${PII_LABELS[type].label}`}
              value={step.types[type] ?? 'default'}
              onChange={(e) => {
                const types = { ...step.types };
                if (e.target.value === 'default') delete types[type];
                else types[type] = e.target.value as 'off' | 'flag' | 'redact' | 'block';
                props.onChange({ ...step, types });
              }}
            >
              <option value="default">as above</option>
              <option value="off">ignore</option>
              <option value="flag">flag</option>
              <option value="redact">redact</option>
              <option value="block">block</option>
            </select>
          </label>
        ))}
      </fieldset>
    </Common>
  );
}

export function GuardGuardrailEditor(given: GuardEditorProps<'guard-guardrail'>) {
  const props = named(given);
  const { step, label } = props;
  const [guardrails, setGuardrails] = useState<CatalogGuardrail[] | null>(null);
  useEffect(() => {
    let live = true;
    api.call('models:list', {}).then(
      (catalog) => live && setGuardrails(catalog.guardrails),
      () => live && setGuardrails([]),
    );
    return () => {
      live = false;
    };
  }, []);
  const picked = guardrails?.find((g) => g.id === step.guardrailId);
  // A lab's "any guardrail of the account": the first one listed, once the list is in.
  const first = guardrails?.[0];
  useEffect(() => {
    if (step.guardrailId === ACCOUNT_GUARDRAIL && first) props.onChange({ ...step, guardrailId: first.id, guardrailName: first.name, guardrailVersion: first.version });
  }, [first, step, props]);
  return (
    <Common props={props} actions={['flag', 'redact', 'block']}>
      {guardrails !== null && guardrails.length === 0 ? (
        <p className="muted" data-testid="no-guardrails">
          Your account has no guardrails in this region (or they could not be listed). Create one in the Amazon Bedrock console (Guardrails → Create guardrail), refresh the model list in Settings, or type its id:
        </p>
      ) : null}
      {guardrails && guardrails.length > 0 ? (
        <label>
          Guardrail
          <select
            aria-label={`${label}: which guardrail`}
            value={step.guardrailId}
            onChange={(e) => {
              const g = guardrails.find((x) => x.id === e.target.value);
              props.onChange({ ...step, guardrailId: e.target.value, ...(g ? { guardrailName: g.name, guardrailVersion: g.version } : {}) });
            }}
          >
            {!picked && <option value={step.guardrailId}>{step.guardrailId && step.guardrailId !== ACCOUNT_GUARDRAIL ? step.guardrailId : 'Pick a guardrail'}</option>}
            {guardrails.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name} ({g.status.toLowerCase()})
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label>
          Guardrail id
          <input aria-label={`${label} guardrail id`} value={step.guardrailId} onChange={(e) => props.onChange({ ...step, guardrailId: e.target.value })} />
        </label>
      )}
      <label>
        Version
        <input aria-label={`${label} guardrail version`} size={6} value={step.guardrailVersion} onChange={(e) => props.onChange({ ...step, guardrailVersion: e.target.value })} />
      </label>
      {step.stage === 'output' && (
        <label>
          <input type="checkbox" aria-label={`${label} contextual grounding`} checked={step.grounding} onChange={(e) => props.onChange({ ...step, grounding: e.target.checked })} />
          contextual grounding on the arm’s sources (a “Retrieve sources” step before it)
        </label>
      )}
    </Common>
  );
}
