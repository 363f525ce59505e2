/**
 * Adapters from the engine's request to the pure step transforms. (Until shared/steps/apply.ts
 * lands from the arm-model work, the transforms are here; the engine calls only these two.)
 */
import { renderTemplate } from '../../../shared/templates';
import type { Technique } from '../../../shared/techniques';
import { PROMPT_SLOT } from '../../../shared/techniques';
import { lastUserText, withLastUserText } from './request';
import type { StepRequest } from './types';

export function applyTechniqueToRequest(technique: Pick<Technique, 'system' | 'wrap'>, request: StepRequest): StepRequest {
  const wrap = technique.wrap.includes(PROMPT_SLOT) ? technique.wrap : PROMPT_SLOT;
  const at = wrap.indexOf(PROMPT_SLOT);
  const prompt = wrap.slice(0, at) + lastUserText(request) + wrap.slice(at + PROMPT_SLOT.length);
  const parts = [request.system.trim(), technique.system.trim()].filter((part) => part !== '');
  return { ...withLastUserText(request, prompt), system: [...new Set(parts)].join('\n\n') };
}

export function applySpecifyToRequest(details: string, request: StepRequest, variables: ReadonlyMap<string, string>): StepRequest {
  const rendered = renderTemplate(details, variables).text.trim();
  if (rendered === '') return request;
  return withLastUserText(request, `${lastUserText(request).trimEnd()}\n\n${rendered}`);
}
