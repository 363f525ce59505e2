/** What the retrieve and clarify steps save in their traces (parsed by their trace views). */
import { z } from 'zod';
import { RetrievalMode } from './types';
import type { StepTrace } from '../steps/trace';

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

/**
 * The sources an arm's answer was written from: the last retrieval in its trace (a clarify step's
 * second retrieval wins over the retrieve step's first), with the follow-up question if one was asked.
 */
export function armRetrieval(traces: readonly Pick<StepTrace, 'kind' | 'detail'>[]): { retrieval: RetrievalDetail; asked: string | null } | null {
  for (let i = traces.length - 1; i >= 0; i--) {
    const trace = traces[i]!;
    if (trace.kind === 'clarify') {
      const detail = ClarifyStepDetail.safeParse(trace.detail);
      if (detail.success && detail.data.retrieval) return { retrieval: detail.data.retrieval, asked: detail.data.question ?? null };
    }
    if (trace.kind === 'retrieve') {
      const detail = RetrieveStepDetail.safeParse(trace.detail);
      if (detail.success) return { retrieval: detail.data, asked: null };
    }
  }
  return null;
}
