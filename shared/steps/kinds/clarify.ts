import { z } from 'zod';

/**
 * Clarify (issue 11): after a retrieve step, a model decides whether the sources settle the
 * question. When the question is too vague for them to (e.g. "What's the limit?"), it asks the
 * user ONE follow-up question in the column; the user's answer is added to the request and the
 * arm retrieves again with it. Without a model id, the arm's own model decides.
 */
export const ClarifyStep = z.object({
  kind: z.literal('clarify'),
  modelId: z.string().min(1).max(300).optional(),
});
export type ClarifyStep = z.infer<typeof ClarifyStep>;

export const CLARIFY_SYSTEM_PROMPT = [
  'You check whether a question can be answered from the sources a search found for it.',
  'If the question is clear enough that the sources answer it, or clearly do not cover it, reply with exactly: CLEAR',
  'If the question is too vague to answer (it could mean several different things the sources treat differently), reply with exactly one short follow-up question for the user, starting with: ASK:',
  'Never answer the question itself.',
].join(' ');

/** What the decision model said: the question is clear, or one question to ask. */
export function parseClarifyDecision(reply: string): { ask: string } | { clear: true } {
  const text = reply.trim();
  const asked = /^\s*ASK:\s*([\s\S]+)$/i.exec(text);
  if (asked?.[1]?.trim()) return { ask: asked[1].trim().split('\n')[0]!.trim().slice(0, 500) };
  return { clear: true };
}

/** The question as retrieved again: the original plus the user's clarification. */
export function clarifiedQuestion(question: string, asked: string, answer: string): string {
  return `${question}\n(Clarification — asked: ${asked} Answer: ${answer.trim()})`;
}
