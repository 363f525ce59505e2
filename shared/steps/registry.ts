/**
 * Every mitigation step kind: its config schema, when it runs and its name. Adding a kind means
 * one schema file in ./kinds, one line in STEP_SCHEMAS and one entry in STEP_KINDS; no other kind changes.
 */
import { z } from 'zod';
import { CritiqueReviseStep } from './kinds/critique-revise';
import { RewriteStep } from './kinds/rewrite';
import { SpecifyStep } from './kinds/specify';
import { TechniqueStep } from './kinds/technique';
import { GuardClassifierStep } from './kinds/guard-classifier';
import { GuardGuardrailStep } from './kinds/guard-guardrail';
import { GuardInjectionStep } from './kinds/guard-injection';
import { GuardPiiStep } from './kinds/guard-pii';
import { GuardToxicityStep } from './kinds/guard-toxicity';
import { ClarifyStep } from './kinds/clarify';
import { RetrieveStep } from './kinds/retrieve';
import { ImageChatStep } from './kinds/image-chat';
import { ImageInclusiveStep } from './kinds/image-inclusive';
import { ImageNegativeStep } from './kinds/image-negative';

export const STEP_SCHEMAS = [TechniqueStep, SpecifyStep, RewriteStep, CritiqueReviseStep, GuardInjectionStep, GuardPiiStep, GuardClassifierStep, GuardToxicityStep, GuardGuardrailStep, ImageInclusiveStep, ImageNegativeStep, ImageChatStep, RetrieveStep, ClarifyStep] as const;

export const StepConfig = z.discriminatedUnion('kind', STEP_SCHEMAS);
export type StepConfig = z.infer<typeof StepConfig>;
export type StepKind = StepConfig['kind'];
export type StepOf<K extends StepKind> = Extract<StepConfig, { kind: K }>;

/**
 * request: transforms what is sent, before the model call (runs in order);
 * answer: transforms or judges what came back (runs in order, after the model call).
 */
export type StepPhase = 'request' | 'answer';

export interface StepKindInfo {
  phase: StepPhase;
  /** What a person reads in the editor and the trace. */
  name: string;
  summary: string;
  /** True when the step calls a model (its effect is only known when the arm runs). */
  callsModel: boolean;
  /** The arms the step fits: text arms (default), image arms, or both. */
  media?: 'text' | 'image' | 'both';
}

export const STEP_KINDS: Record<StepKind, StepKindInfo> = {
  technique: { phase: 'request', name: 'Technique', summary: 'System framing or an instruction around the request, from the technique library.', callsModel: false },
  specify: { phase: 'request', name: 'Specify what is left open', summary: 'Adds the details a vague request leaves the model to assume.', callsModel: false },
  rewrite: { phase: 'request', name: 'Rewrite with a model', summary: 'A model rewrites the request without loaded assumptions, each time the arm runs.', callsModel: true },
  'critique-revise': { phase: 'answer', name: 'Critique and revise', summary: 'A critic checks the answer against each principle; a reviser fixes only what it flags.', callsModel: true },
  // Guards (issue 10): phase from the step's stage (input / output), see stepPhase.
  'guard-injection': { phase: 'request', name: 'Prompt injection check (local)', summary: 'Heuristics for injected instructions and persona hijacks, with a score and the evidence.', callsModel: false },
  'guard-pii': { phase: 'request', name: 'PII check (local)', summary: 'Finds emails, phone numbers, SSNs, card numbers, IBANs, IP addresses and AWS keys; flags, redacts or blocks.', callsModel: false },
  'guard-classifier': { phase: 'request', name: 'Prompt safety classifier', summary: 'A classifier model gives a safe/unsafe verdict with a category, a confidence and a reason.', callsModel: true },
  'guard-toxicity': { phase: 'request', name: 'Toxicity judge', summary: 'A judge model scores hate speech, harassment, violence, insults, profanity… 0–1, with a threshold.', callsModel: true },
  // Grounding (issue 11).
  retrieve: { phase: 'request', name: 'Retrieve sources', summary: 'Finds the closest passages of a corpus and asks for an answer only from them, cited as [1].', callsModel: true },
  clarify: { phase: 'request', name: 'Ask a clarifying question', summary: 'When the sources don’t settle a vague question, asks you one follow-up question, then retrieves again.', callsModel: true },
  'guard-guardrail': { phase: 'request', name: 'Bedrock Guardrail', summary: 'Applies one of your account’s Bedrock Guardrails and shows every assessment.', callsModel: true },
  // Image arms (issue 12).
  'image-inclusive': { phase: 'request', name: 'Inclusive prompt', summary: 'Adds who may be pictured, so the model does not default to one kind of person.', callsModel: false, media: 'image' },
  'image-negative': { phase: 'request', name: 'Negative prompt', summary: 'Steers the image model away from stereotyped or low-quality renderings.', callsModel: false, media: 'image' },
  'image-chat': { phase: 'request', name: 'Ask, don’t assume', summary: 'A prompt writer asks you about the people in the picture before it writes the image prompt.', callsModel: true, media: 'image' },
};

/** Where a step runs: its kind's phase, except guards, which run where their stage says. */
export function stepPhase(step: StepConfig): StepPhase {
  if ('stage' in step && (step.stage === 'input' || step.stage === 'output')) return step.stage === 'input' ? 'request' : 'answer';
  return STEP_KINDS[step.kind].phase;
}

/** True for the guard kinds (issue 10). */
export function isGuardStep(step: StepConfig): step is Extract<StepConfig, { kind: `guard-${string}` }> {
  return step.kind.startsWith('guard-');
}

/** True when a step kind can be added to an arm of this medium. */
export function stepFits(kind: StepKind, medium: 'text' | 'image'): boolean {
  const fits = STEP_KINDS[kind].media ?? 'text';
  return fits === 'both' || fits === medium;
}

export const MAX_STEPS = 12;
