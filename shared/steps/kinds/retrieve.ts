import { z } from 'zod';
import { DEFAULT_TOP_K, MAX_TOP_K, RetrievalMode } from '../../rag/types';

/**
 * Retrieve (issue 11): finds the k passages of a corpus closest to the request and puts them,
 * numbered [1]…[k], in front of the model with the grounded-answer instruction: answer only from
 * the sources, cite them as [1], and say you don't know when they don't answer.
 */
export const RetrieveStep = z.object({
  kind: z.literal('retrieve'),
  corpusId: z.string().min(1, 'Choose a corpus').max(100),
  mode: RetrievalMode.default('hybrid'),
  k: z.number().int().min(1).max(MAX_TOP_K).default(DEFAULT_TOP_K),
  /** Replaces the built-in grounded-answer instruction when not empty. */
  instruction: z.string().max(5_000).default(''),
});
export type RetrieveStep = z.infer<typeof RetrieveStep>;

export const GROUNDED_INSTRUCTION = [
  'Answer the question using only the numbered sources below.',
  'Cite the sources you use with their numbers in square brackets, like [1] or [2][3], right after the sentence they support.',
  'If the sources do not contain the answer, say plainly that you don’t know from the sources, and do not guess or use outside knowledge.',
].join(' ');

/** The sources block the model reads: each passage numbered, with its file and page. */
export function sourcesBlock(sources: readonly { n: number; title: string; text: string }[]): string {
  if (sources.length === 0) return '<sources>\n(no passage matched the question)\n</sources>';
  return `<sources>\n${sources.map((s) => `[${s.n}] ${s.title}\n${s.text}`).join('\n\n')}\n</sources>`;
}
