/**
 * Every mitigation step kind: its config schema, when it runs and its name. Adding a kind means
 * one schema file in ./kinds, one line in STEP_SCHEMAS and one entry in STEP_KINDS; no other kind changes.
 */
import { z } from 'zod';
import { CritiqueReviseStep } from './kinds/critique-revise';
import { RewriteStep } from './kinds/rewrite';
import { SpecifyStep } from './kinds/specify';
import { TechniqueStep } from './kinds/technique';

export const STEP_SCHEMAS = [TechniqueStep, SpecifyStep, RewriteStep, CritiqueReviseStep] as const;

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
}

export const STEP_KINDS: Record<StepKind, StepKindInfo> = {
  technique: { phase: 'request', name: 'Technique', summary: 'System framing or an instruction around the request, from the technique library.', callsModel: false },
  specify: { phase: 'request', name: 'Specify what is left open', summary: 'Adds the details a vague request leaves the model to assume.', callsModel: false },
  rewrite: { phase: 'request', name: 'Rewrite with a model', summary: 'A model rewrites the request without loaded assumptions, each time the arm runs.', callsModel: true },
  'critique-revise': { phase: 'answer', name: 'Critique and revise', summary: 'A critic checks the answer against each principle; a reviser fixes only what it flags.', callsModel: true },
};

export const MAX_STEPS = 12;
