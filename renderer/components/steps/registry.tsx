/**
 * The renderer side of each step kind: how a new step of the kind starts, its config editor
 * (the comparison editor), and its trace view (the column's step timeline, issue 9 / h9b).
 * Adding a kind means one entry here; no other kind changes. A kind without an entry is still
 * listed in an arm (by its name from shared/steps/registry.ts) but cannot be added or edited.
 */
import type { ComponentType } from 'react';
import type { Variable } from '../../../shared/domain';
import type { StepConfig, StepKind, StepOf, StepTrace } from '../../../shared/steps';
import { stepFits } from '../../../shared/steps';
import type { Technique } from '../../../shared/techniques';
import { CritiqueReviseStepEditor } from './critique-revise';
import { RewriteStepEditor } from './rewrite';
import { ImageChatEditor, ImageInclusiveEditor, ImageNegativeEditor, IMAGE_STEP_DEFAULTS } from './image-steps';
import { SpecifyStepEditor } from './specify';
import { TechniqueStepEditor } from './technique';
import { GuardClassifierEditor, GuardGuardrailEditor, GuardInjectionEditor, GuardPiiEditor, GuardToxicityEditor } from './guard-editors';
import { GuardTraceView } from './guard-trace';
import { ClarifyStepEditor, RetrieveStepEditor } from './grounding';
import { DEFAULT_TOP_K } from '../../../shared/rag/types';

export interface StepEditorContext {
  techniques: readonly Technique[];
  variables: readonly Variable[];
  /** Model ids the user can pick (may be empty: the field is then free text). */
  models: readonly { id: string; name: string }[];
  /** The arm's own model (a step's model defaults to it). */
  armModelId: string;
}

export interface StepEditorProps<K extends StepKind = StepKind> {
  step: StepOf<K>;
  /** The arm's label and the step's position, for accessible names ("Bias guard step 1 …"). */
  label: string;
  ctx: StepEditorContext;
  onChange(step: StepOf<K>): void;
}

export interface StepTraceViewProps {
  trace: StepTrace;
}

export interface StepUi<K extends StepKind = StepKind> {
  /** A new step of this kind, ready to run (or to be filled in). */
  create(ctx: StepEditorContext): StepOf<K>;
  /** Its settings in the editor. */
  Editor?: ComponentType<StepEditorProps<K>>;
  /** What it did, opened from the column's timeline. */
  TraceView?: ComponentType<StepTraceViewProps>;
}

type StepUiRegistry = { [K in StepKind]?: StepUi<K> };

export const STEP_UI: StepUiRegistry = {
  technique: {
    create: (ctx) => ({ kind: 'technique', techniqueId: ctx.techniques.find((t) => t.id !== 'plain')?.id ?? 'bias-guard' }),
    Editor: TechniqueStepEditor,
  },
  specify: {
    create: () => ({ kind: 'specify', details: 'Specify who, where and what kind, so the model does not fill the gaps with defaults.' }),
    Editor: SpecifyStepEditor,
  },
  rewrite: {
    create: () => ({ kind: 'rewrite', instruction: '' }),
    Editor: RewriteStepEditor,
  },
  'critique-revise': {
    create: () => ({ kind: 'critique-revise', principles: [{ builtIn: 'harmful' }] }),
    Editor: CritiqueReviseStepEditor,
  },
  // Guards (issue 10): checks on the request (input) or the answer (output).
  'guard-injection': { create: () => ({ kind: 'guard-injection', stage: 'input', action: 'block', threshold: 0.5 }), Editor: GuardInjectionEditor, TraceView: ({ trace }) => <GuardTraceView step={trace} /> },
  'guard-pii': { create: () => ({ kind: 'guard-pii', stage: 'input', action: 'redact', types: {}, style: 'placeholder', maskChar: '*' }), Editor: GuardPiiEditor, TraceView: ({ trace }) => <GuardTraceView step={trace} /> },
  'guard-classifier': { create: () => ({ kind: 'guard-classifier', stage: 'input', action: 'block', threshold: 0.5 }), Editor: GuardClassifierEditor, TraceView: ({ trace }) => <GuardTraceView step={trace} /> },
  'guard-toxicity': { create: () => ({ kind: 'guard-toxicity', stage: 'input', action: 'block', threshold: 0.5 }), Editor: GuardToxicityEditor, TraceView: ({ trace }) => <GuardTraceView step={trace} /> },
  'guard-guardrail': { create: () => ({ kind: 'guard-guardrail', stage: 'input', action: 'block', guardrailId: '@account-guardrail', guardrailVersion: 'DRAFT', grounding: true }), Editor: GuardGuardrailEditor, TraceView: ({ trace }) => <GuardTraceView step={trace} /> },
  // Grounding (issue 11): the editor picks the first corpus when the new step has none.
  retrieve: { create: () => ({ kind: 'retrieve', corpusId: '', mode: 'hybrid', k: DEFAULT_TOP_K, instruction: '' }), Editor: RetrieveStepEditor },
  clarify: { create: () => ({ kind: 'clarify' }), Editor: ClarifyStepEditor },
  // Image arms (issue 12).
  'image-inclusive': { create: () => ({ kind: 'image-inclusive', addition: IMAGE_STEP_DEFAULTS.inclusive }), Editor: ImageInclusiveEditor },
  'image-negative': { create: () => ({ kind: 'image-negative', phrases: [...IMAGE_STEP_DEFAULTS.negative] }), Editor: ImageNegativeEditor },
  'image-chat': { create: () => ({ kind: 'image-chat', maxQuestions: 3 }), Editor: ImageChatEditor },
};

export function stepUi(kind: StepKind): StepUi | undefined {
  return STEP_UI[kind] as StepUi | undefined;
}

/** The kinds a person can add to an arm of this medium (those with a `create`). */
export function addableKinds(medium: 'text' | 'image' = 'text'): StepKind[] {
  return (Object.keys(STEP_UI) as StepKind[]).filter((kind) => STEP_UI[kind]?.create && stepFits(kind, medium));
}

export type { StepConfig };
