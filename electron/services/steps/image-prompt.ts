/** The prompt of an image arm is its last user message; image steps rewrite it. */
import { AppError } from '../../../shared/errors';
import type { StepRequest } from './types';

export function imagePromptOf(request: StepRequest): string {
  return request.messages.at(-1)?.text ?? '';
}

export function withImagePrompt(request: StepRequest, prompt: string): StepRequest {
  const messages = request.messages.length === 0 ? [{ role: 'user' as const, text: prompt }] : request.messages.map((m, i, all) => (i === all.length - 1 ? { ...m, text: prompt } : m));
  return { ...request, messages };
}

export function requireImageArm(request: StepRequest, stepName: string): NonNullable<StepRequest['image']> {
  if (!request.image) throw new AppError('bad_input', `“${stepName}” applies to image arms only. Remove it from this text arm, or make the comparison an image comparison.`);
  return request.image;
}
