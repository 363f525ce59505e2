/**
 * Scripting the critic and the reviser of a critique-and-revise step (issue 9). The engine asks
 * the critic with a `record_critique` tool and the principle's name in the prompt
 * ("Principle: <name>\nCritique request: ..."), the reviser with "Principle: <name>\nRevision
 * request: ...", so rules match by principle. Add these before any catch-all rule.
 */
import type { FakeBedrock, FakePace, ReceivedRequest } from './types';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface CriticScript {
  /** The principle's name as the user reads it, e.g. 'Biased or stereotyping'. */
  principle: string;
  problem: boolean;
  critique: string;
  model?: string | RegExp;
  times?: number;
  pace?: FakePace;
}

/** The critic answers with a structured verdict (Converse tool use). */
export function scriptCritic(fake: FakeBedrock, script: CriticScript): void {
  fake.on({
    operation: 'Converse',
    prompt: new RegExp(`Principle: ${escape(script.principle)}\\nCritique request:`),
    ...(script.model !== undefined ? { model: script.model } : {}),
    ...(script.times !== undefined ? { times: script.times } : {}),
    ...(script.pace ? { pace: script.pace } : {}),
    reply: { toolUse: { name: 'record_critique', input: { problem: script.problem, critique: script.critique } } },
  });
}

/** The critic answers in prose with no verdict at all (no tool call, nothing to parse). */
export function scriptMalformedCritic(fake: FakeBedrock, principle: string, text: string): void {
  fake.on({ operation: 'Converse', prompt: new RegExp(`Principle: ${escape(principle)}\\nCritique request:`), reply: { text } });
}

export function scriptReviser(fake: FakeBedrock, script: { principle: string; text: string; model?: string | RegExp; pace?: FakePace }): void {
  fake.on({
    operation: 'Converse',
    prompt: new RegExp(`Principle: ${escape(script.principle)}\\nRevision request:`),
    ...(script.model !== undefined ? { model: script.model } : {}),
    ...(script.pace ? { pace: script.pace } : {}),
    reply: { text: script.text },
  });
}

const firstText = (request: ReceivedRequest): string => {
  const content = request.body?.messages?.[0]?.content;
  return Array.isArray(content) ? content.map((block: { text?: unknown }) => (typeof block.text === 'string' ? block.text : '')).join('') : '';
};

/** Critic calls in the fake's request log (optionally for one principle). */
export function critiqueRequests(fake: FakeBedrock, principle?: string): ReceivedRequest[] {
  return fake.requests.filter(
    (r) =>
      r.operation === 'Converse' &&
      r.body?.toolConfig?.tools?.[0]?.toolSpec?.name === 'record_critique' &&
      (principle === undefined || firstText(r).startsWith(`Principle: ${principle}\n`)),
  );
}

/** Reviser calls in the fake's request log (optionally for one principle). */
export function revisionRequests(fake: FakeBedrock, principle?: string): ReceivedRequest[] {
  return fake.requests.filter(
    (r) => r.operation === 'Converse' && /\nRevision request:/.test(firstText(r)) && (principle === undefined || firstText(r).startsWith(`Principle: ${principle}\n`)),
  );
}
