import type { InferenceSettings } from '../../../shared/domain';
import type { JudgeDefinition } from '../../../shared/scores/judges';
import type { JudgeReply } from './parse';

/**
 * The slice of the Bedrock service the judges (and robustness, which replays arm requests) use. Structurally the same as
 * `services.bedrock.converse`, so the real one (or any stand-in) fits.
 */
export interface JudgeConverseInput {
  modelId: string;
  system?: string;
  messages: { role: 'user' | 'assistant'; text: string }[];
  inference?: InferenceSettings;
  tool?: { name: string; description: string; inputSchema: Record<string, unknown> };
}

export interface JudgeConverseResult {
  text: string;
  toolInput?: unknown;
  stopReason?: string | null;
}

export type ConverseFn = (input: JudgeConverseInput, options: { signal?: AbortSignal }) => Promise<JudgeConverseResult>;

/** What a single-answer evaluator makes of a reply. */
export interface Judgment {
  value: number;
  passed: boolean | null;
  feedback: string;
  details: Record<string, unknown>;
}

export interface InterpretContext {
  guidelines: readonly string[];
}

export interface Evaluator {
  definition: JudgeDefinition;
  /** Throws JudgeReplyError when the reply lacks what the verdict needs. */
  interpret(reply: JudgeReply, context: InterpretContext): Judgment;
}

/** Values for the `${name}` placeholders of judge prompts. */
export interface JudgeVariables {
  question: string;
  answer: string;
  context: string;
  reference: string;
  /** Numbered, one per line. */
  guidelines: string;
}
