/** The pure transforms' context (shared/steps/apply.ts) from a step's environment. */
import type { ApplyContext } from '../../../shared/steps/apply';
import { renderTemplate } from '../../../shared/templates';
import type { StepEnv } from './types';

export function applyContext(env: StepEnv): ApplyContext {
  return { techniques: env.techniques, render: (text) => renderTemplate(text, env.variables).text };
}
