/** Messages between the app and the store worker (validated on receipt, never cast). */
import { z } from 'zod';

export const WorkerData = z.object({ dbPath: z.string(), nativeBinding: z.string().optional() });

export const JobRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), id: z.number().int(), job: z.string(), args: z.unknown() }),
  /** Stops a running job at its next check (imports and exports check between batches). */
  z.object({ type: z.literal('cancel'), id: z.number().int() }),
  z.object({ type: z.literal('close') }),
]);
export type JobRequest = z.infer<typeof JobRequest>;

export const JobReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), id: z.number().int(), done: z.number(), total: z.number().nullable() }),
  z.object({ type: z.literal('result'), id: z.number().int(), result: z.unknown() }),
  z.object({
    type: z.literal('error'),
    id: z.number().int(),
    error: z.object({ app: z.boolean(), code: z.string().optional(), message: z.string(), details: z.string().optional() }),
  }),
]);
export type JobReply = z.infer<typeof JobReply>;
