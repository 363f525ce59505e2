/** What the retrieve and clarify steps save in their traces (parsed by their trace views). */
import { z } from 'zod';
import { RetrievalMode } from './types';

export const RetrievedChunkDetail = z.object({
  chunkId: z.number().int(),
  rank: z.number().int(),
  score: z.number(),
  documentId: z.string(),
  documentName: z.string(),
  position: z.number().int(),
  pageStart: z.number().int().nullable(),
  pageEnd: z.number().int().nullable(),
  text: z.string(),
});

export const RetrievalDetail = z.object({
  corpusId: z.string(),
  corpusName: z.string(),
  question: z.string(),
  mode: RetrievalMode,
  k: z.number().int(),
  terms: z.array(z.string()),
  chunks: z.array(RetrievedChunkDetail),
  note: z.string().nullable(),
  elapsedMs: z.number(),
});
export type RetrievalDetail = z.infer<typeof RetrievalDetail>;

export const RetrieveStepDetail = RetrievalDetail.extend({ system: z.string(), prompt: z.string() });
export type RetrieveStepDetail = z.infer<typeof RetrieveStepDetail>;

export const ClarifyStepDetail = z
  .object({
    decision: z.enum(['clear', 'ask']).optional(),
    question: z.string().optional(),
    reply: z.string().optional(),
    modelReply: z.string().optional(),
    retrieval: RetrievalDetail.optional(),
    prompt: z.string().optional(),
  })
  .passthrough();
export type ClarifyStepDetail = z.infer<typeof ClarifyStepDetail>;

/** A source id as the retrieve step names it ("chunk:<id>"), so a citation can open the passage. */
export function sourceId(chunkId: number): string {
  return `chunk:${chunkId}`;
}

export function chunkIdOf(sourceIdText: string): number | null {
  const match = /^chunk:(\d+)$/.exec(sourceIdText);
  return match ? Number(match[1]) : null;
}
