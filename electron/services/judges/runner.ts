/**
 * The shared judge runner: renders the (possibly user-edited) prompt, asks the judge model for
 * a structured verdict through Converse tool use, reads the reply (tool input, or the tolerant
 * fallback parser on text), and turns every failure into an error on that one score.
 */
import { AppError } from '../../../shared/errors';
import type { JudgeDefinition, JudgeInput, JudgePrompt } from '../../../shared/scores/judges';
import { renderTemplate } from '../../../shared/templates';
import { JudgeReplyError, readReply, type JudgeReply } from './parse';
import type { ConverseFn, Evaluator, InterpretContext, Judgment } from './types';

export interface JudgeCall {
  definition: JudgeDefinition;
  prompt: JudgePrompt;
  values: Record<string, string>;
  modelId: string;
  converse: ConverseFn;
  signal?: AbortSignal;
}

export type JudgeOutcome<T = Judgment> =
  | { ok: true; result: T; prompt: string; modelId: string; reply: JudgeReply }
  | { ok: false; error: string; details?: string; prompt: string | null; modelId: string };

const INPUT_NAMES: Record<JudgeInput, string> = {
  context: 'a context',
  reference: 'a reference answer',
  guidelines: 'at least one guideline',
};

export function renderJudgePrompt(prompt: JudgePrompt, values: Record<string, string>): { system: string; user: string; missing: string[] } {
  const system = renderTemplate(prompt.system, values);
  const user = renderTemplate(prompt.template, values);
  return { system: system.text, user: user.text, missing: [...new Set([...system.missing, ...user.missing])] };
}

export function formatPromptForAudit(system: string, user: string): string {
  return `[system]\n${system}\n\n[user]\n${user}`;
}

/** Thrown before any call when an input the judge needs is empty. */
export class JudgeInputError extends Error {
  override name = 'JudgeInputError';
}

export function checkInputs(definition: JudgeDefinition, values: Record<string, string>): void {
  for (const need of definition.needs) {
    if (!values[need]?.trim()) {
      throw new JudgeInputError(`${definition.label} needs ${INPUT_NAMES[need]}. Enter it in Score settings, then score the run again.`);
    }
  }
}

/** One judge call; resolves to the reply, or throws (Bedrock errors, aborts, input errors). */
export async function askJudge(call: JudgeCall): Promise<{ reply: JudgeReply; prompt: string }> {
  const { system, user, missing } = renderJudgePrompt(call.prompt, call.values);
  if (missing.length > 0) {
    throw new JudgeInputError(
      `The ${call.definition.label} prompt uses ${missing.map((name) => `\${${name}}`).join(', ')}, which judges don't provide. Edit the prompt in Score settings.`,
    );
  }
  const result = await call.converse(
    {
      modelId: call.modelId,
      system,
      messages: [{ role: 'user', text: user }],
      inference: { temperature: 0, maxTokens: 2048 },
      tool: { name: call.definition.tool.name, description: call.definition.tool.description, inputSchema: call.definition.tool.inputSchema },
    },
    { signal: call.signal },
  );
  return { reply: readReply(result.toolInput, result.text ?? ''), prompt: formatPromptForAudit(system, user) };
}

/** Maps anything a judge call can throw to a stored error; rethrows aborts so the whole job stops. */
export function describeFailure(error: unknown, signal?: AbortSignal): { error: string; details?: string } {
  if (signal?.aborted) throw error;
  if (error instanceof JudgeReplyError) return error.reply ? { error: error.message, details: error.reply } : { error: error.message };
  if (error instanceof JudgeInputError) return { error: error.message };
  if (error instanceof AppError) return error.details ? { error: error.message, details: error.details } : { error: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { error: `The judge call failed: ${message}` };
}

/** Runs a single-answer evaluator end to end. */
export async function evaluate(
  evaluator: Evaluator,
  call: Omit<JudgeCall, 'definition'>,
  context: InterpretContext,
): Promise<JudgeOutcome> {
  let prompt: string | null = null;
  try {
    checkInputs(evaluator.definition, call.values);
    if (!call.values.answer?.trim()) throw new JudgeInputError('This arm has no output to judge.');
    const asked = await askJudge({ ...call, definition: evaluator.definition });
    prompt = asked.prompt;
    return { ok: true, result: evaluator.interpret(asked.reply, context), prompt, modelId: call.modelId, reply: asked.reply };
  } catch (error) {
    return { ok: false, ...describeFailure(error, call.signal), prompt, modelId: call.modelId };
  }
}
