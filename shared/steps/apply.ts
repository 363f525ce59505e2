/**
 * Pure request transforms: the steps whose effect is a function of the request alone (technique,
 * specify). The static resolver (shared/arms/resolve.ts, the editor's live preview) and the step
 * engine (electron/services/steps, at run time) both apply them through this module, so what the
 * editor shows is what is sent.
 *
 * A request here is already rendered (variables filled in); a step's own text may use the
 * experiment's `${name}`s and is rendered with the same variables through `ctx.render`.
 */
import type { InferenceSettings, Turn } from '../domain';
import type { ImageSettings } from '../images/request';
import { addInclusive } from '../images/prompt';
import { joinNegatives } from '../images/request';
import { PROMPT_SLOT, findTechnique, type Technique } from '../techniques';
import type { StepConfig, StepKind, StepOf } from './registry';

/** What an arm sends: the model, the system prompt, the conversation (last = new user input). */
export interface ResolvedRequest {
  modelId: string;
  system: string;
  messages: Turn[];
  inference: InferenceSettings;
  /** Image arms: the image settings (the prompt is the new input). */
  image?: ImageSettings;
}

export interface ApplyContext {
  techniques: readonly Pick<Technique, 'id' | 'name' | 'system' | 'wrap'>[];
  /** Renders a step's own text with the experiment's variables. */
  render(text: string): string;
}

/** The outcome of a pure step: the new request, or why it could not be applied. */
export type ApplyOutcome = { ok: true; request: ResolvedRequest; summary: string } | { ok: false; problem: string };

type PureApplier<K extends StepKind> = (step: StepOf<K>, request: ResolvedRequest, ctx: ApplyContext) => ApplyOutcome;

/** Joins system prompts: the request's own setup first, then the step's; blank and repeated parts dropped. */
export function joinSystem(...parts: string[]): string {
  return [...new Set(parts.map((part) => part.trim()).filter((part) => part !== ''))].join('\n\n');
}

/** Replaces the new input (the last user message) of a request. */
export function withInput(request: ResolvedRequest, text: string): ResolvedRequest {
  const messages = request.messages.slice();
  const last = messages.at(-1);
  if (last && last.role === 'user') messages[messages.length - 1] = { role: 'user', text };
  else messages.push({ role: 'user', text });
  return { ...request, messages };
}

export function inputOf(request: ResolvedRequest): string {
  const last = request.messages.at(-1);
  return last && last.role === 'user' ? last.text : '';
}

/** Wraps the new input in the technique's wrapper and adds its system framing after the request's own. */
export function applyTechniqueStep(step: StepOf<'technique'>, request: ResolvedRequest, ctx: ApplyContext): ApplyOutcome {
  const technique = findTechnique(ctx.techniques as Technique[], step.techniqueId);
  if (!technique) return { ok: false, problem: `The technique "${step.techniqueId}" is not in your library. Pick another one or add it in Techniques.` };
  const wrap = technique.wrap.includes(PROMPT_SLOT) ? technique.wrap : PROMPT_SLOT;
  const at = wrap.indexOf(PROMPT_SLOT);
  const input = ctx.render(wrap.slice(0, at)) + inputOf(request) + ctx.render(wrap.slice(at + PROMPT_SLOT.length));
  const system = joinSystem(request.system, ctx.render(technique.system));
  return { ok: true, request: { ...withInput(request, input), system }, summary: technique.name };
}

/** Adds what the request left open after the new input, as a paragraph of its own. */
export function applySpecifyStep(step: StepOf<'specify'>, request: ResolvedRequest, ctx: ApplyContext): ApplyOutcome {
  const details = ctx.render(step.details).trim();
  if (details === '') return { ok: false, problem: 'Say what the request leaves open.' };
  const input = inputOf(request).trimEnd();
  return { ok: true, request: withInput(request, input === '' ? details : `${input}\n\n${details}`), summary: 'Specified what was left open' };
}

const IMAGE_ONLY = 'applies to image arms only. Remove it, or make the comparison an image comparison.';

/** Appends who may be pictured to an image prompt. */
export function applyImageInclusiveStep(step: StepOf<'image-inclusive'>, request: ResolvedRequest, ctx: ApplyContext): ApplyOutcome {
  if (!request.image) return { ok: false, problem: `“Inclusive prompt” ${IMAGE_ONLY}` };
  return { ok: true, request: withInput(request, addInclusive(inputOf(request), ctx.render(step.addition))), summary: 'Inclusive prompt' };
}

/** Adds phrases the image model is steered away from. */
export function applyImageNegativeStep(step: StepOf<'image-negative'>, request: ResolvedRequest): ApplyOutcome {
  if (!request.image) return { ok: false, problem: `“Negative prompt” ${IMAGE_ONLY}` };
  const negativeText = joinNegatives(request.image.negativeText, step.phrases).slice(0, 1_000);
  return { ok: true, request: { ...request, image: { ...request.image, negativeText } }, summary: 'Negative prompt' };
}

/** The pure request steps; a kind not listed here is only known when the arm runs. */
export const PURE_REQUEST_STEPS: { [K in StepKind]?: PureApplier<K> } = {
  technique: applyTechniqueStep,
  specify: applySpecifyStep,
  'image-inclusive': applyImageInclusiveStep,
  'image-negative': applyImageNegativeStep,
};

export function isPureRequestStep(step: Pick<StepConfig, 'kind'>): boolean {
  return step.kind in PURE_REQUEST_STEPS;
}

/** Applies one pure step; null when the kind is not pure (it calls a model or runs on the answer). */
export function applyPureStep(step: StepConfig, request: ResolvedRequest, ctx: ApplyContext): ApplyOutcome | null {
  const applier = PURE_REQUEST_STEPS[step.kind] as PureApplier<StepKind> | undefined;
  return applier ? applier(step as never, request, ctx) : null;
}
