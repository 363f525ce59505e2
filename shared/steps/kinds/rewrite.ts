import { z } from 'zod';

/**
 * "Rewrite with a model": each time the arm runs, a model rewrites the (resolved) request, so the
 * rewrite follows the baseline. Without a model id, the user's default generation model is used.
 */
export const RewriteStep = z.object({
  kind: z.literal('rewrite'),
  modelId: z.string().min(1).max(300).optional(),
  /** The rewriter's instruction; empty = the built-in "remove loaded assumptions" instruction. */
  instruction: z.string().max(5_000).default(''),
});
export type RewriteStep = z.infer<typeof RewriteStep>;
