/**
 * One StepRunner per step kind. Adding a kind: its module here and one line in RUNNERS.
 */
import { AppError } from '../../../shared/errors';
import type { StepConfig, StepKind, StepOf } from '../../../shared/steps/registry';
import { clarifyStep } from './clarify';
import { critiqueReviseStep } from './critique-revise';
import { retrieveStep } from './retrieve';
import { imageChatStep } from './image-chat';
import { imageInclusiveStep } from './image-inclusive';
import { imageNegativeStep } from './image-negative';
import { rewriteStep } from './rewrite';
import { specifyStep } from './specify';
import { techniqueStep } from './technique';
import { guardClassifierStep } from './guard-classifier';
import { guardGuardrailStep } from './guard-guardrail';
import { guardInjectionStep } from './guard-injection';
import { guardPiiStep } from './guard-pii';
import { guardToxicityStep } from './guard-toxicity';
import type { StepRunner } from './types';

/** Kinds whose runner has not landed yet fail their step with a clear message (stepRunner). */
type Runners = { [K in StepKind]?: StepRunner<StepOf<K>> };

const RUNNERS: Runners = {
  technique: techniqueStep,
  specify: specifyStep,
  rewrite: rewriteStep,
  'critique-revise': critiqueReviseStep,
  retrieve: retrieveStep,
  clarify: clarifyStep,
  'guard-injection': guardInjectionStep,
  'guard-pii': guardPiiStep,
  'guard-classifier': guardClassifierStep,
  'guard-toxicity': guardToxicityStep,
  'guard-guardrail': guardGuardrailStep,
  'image-inclusive': imageInclusiveStep,
  'image-negative': imageNegativeStep,
  'image-chat': imageChatStep,
};

export function stepRunner(kind: StepKind): StepRunner<StepConfig> {
  const runner = RUNNERS[kind] as StepRunner<StepConfig> | undefined;
  if (!runner) throw new AppError('bad_input', `This version of Parallax cannot run “${kind}” steps. Remove the step or update Parallax.`);
  return runner;
}
