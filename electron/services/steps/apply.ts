/**
 * Adapters from the engine's request to the pure step transforms of shared/steps/apply.ts, the
 * same ones the editor's live preview (shared/arms/resolve.ts) applies, so what the editor shows
 * is what is sent.
 */
import { applySpecifyStep, applyTechniqueStep } from '../../../shared/steps/apply';
import { renderTemplate } from '../../../shared/templates';
import type { Technique } from '../../../shared/techniques';
import type { StepRequest } from './types';

const renderer = (variables: ReadonlyMap<string, string>) => (text: string) => renderTemplate(text, variables).text;

export function applyTechniqueToRequest(technique: Pick<Technique, 'system' | 'wrap'>, request: StepRequest, variables: ReadonlyMap<string, string> = new Map()): StepRequest {
  const outcome = applyTechniqueStep({ kind: 'technique', techniqueId: 'this' }, request, { techniques: [{ name: '', ...technique, id: 'this' }], render: renderer(variables) });
  return outcome.ok ? outcome.request : request;
}

export function applySpecifyToRequest(details: string, request: StepRequest, variables: ReadonlyMap<string, string>): StepRequest {
  const outcome = applySpecifyStep({ kind: 'specify', details }, request, { techniques: [], render: renderer(variables) });
  return outcome.ok ? outcome.request : request;
}
