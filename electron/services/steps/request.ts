/** Small helpers on the request a step transforms. Pure. */
import type { StepRequest } from './types';

/** The text of the last user turn (the new request); '' when there is none. */
export function lastUserText(request: StepRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i -= 1) {
    if (request.messages[i]!.role === 'user') return request.messages[i]!.text;
  }
  return '';
}

/** The request with its last user turn's text replaced (appended when there is no user turn). */
export function withLastUserText(request: StepRequest, text: string): StepRequest {
  const messages = [...request.messages];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i]!.role === 'user') {
      messages[i] = { role: 'user', text };
      return { ...request, messages };
    }
  }
  return { ...request, messages: [...messages, { role: 'user', text }] };
}
