/**
 * The `detail` each step kind saves with its trace (StepTrace.detail), as zod schemas: the
 * engine's kinds write these shapes, the trace views and reports parse them (never cast).
 */
import { z } from 'zod';

export const PrincipleCritique = z.object({
  principle: z.string(),
  /** Whether the critic found a problem; null until it answered. */
  problem: z.boolean().nullable(),
  critique: z.string(),
  criticModelId: z.string(),
  /** Set when the reviser ran. */
  reviserModelId: z.string().nullable(),
  /** The answer before this principle, and after its revision (null: not revised). */
  before: z.string(),
  after: z.string().nullable(),
});
export type PrincipleCritique = z.infer<typeof PrincipleCritique>;

export const CritiqueReviseDetail = z.object({ principles: z.array(PrincipleCritique) });
export type CritiqueReviseDetail = z.infer<typeof CritiqueReviseDetail>;

export const RewriteDetail = z.object({ modelId: z.string(), original: z.string(), rewrite: z.string(), instruction: z.string() });
export type RewriteDetail = z.infer<typeof RewriteDetail>;

/** technique and specify: the request as the step left it. */
export const PromptDetail = z.object({ prompt: z.string(), system: z.string().optional() });
export type PromptDetail = z.infer<typeof PromptDetail>;

/** Any step that asked the user (StepContext.ask). */
export const QuestionDetail = z.object({ question: z.string(), reply: z.string().optional() }).passthrough();
export type QuestionDetail = z.infer<typeof QuestionDetail>;

/** image-inclusive: the image prompt after it; image-negative: the negative text after it. */
export const ImagePromptDetail = z.object({ prompt: z.string() });
export const ImageNegativeDetail = z.object({ negativeText: z.string() });
/** image-chat: the conversation with the prompt writer and the prompt it wrote (null until then). */
export const ImageChatDetail = z.object({
  chat: z.array(z.object({ role: z.enum(['user', 'assistant']), text: z.string() })),
  prompt: z.string().nullable(),
});
export type ImageChatDetail = z.infer<typeof ImageChatDetail>;
