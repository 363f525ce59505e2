import { z } from 'zod';

/** A constitutional principle: what the critic looks for, and how the reviser should fix it. */
export const CustomPrinciple = z.object({
  name: z.string().trim().min(1, 'Name the principle').max(80),
  critique: z.string().trim().min(1, 'Write the critique request').max(5_000),
  revision: z.string().trim().min(1, 'Write the revision request').max(5_000),
});
export type CustomPrinciple = z.infer<typeof CustomPrinciple>;

/** A built-in principle by id (shared/principles.ts), or one written by the user. */
export const PrincipleRef = z.union([z.object({ builtIn: z.string().min(1).max(80) }), CustomPrinciple]);
export type PrincipleRef = z.infer<typeof PrincipleRef>;

/**
 * Critique and revise: for each principle in order, a critic critiques the current answer; only
 * when it finds a problem does a reviser rewrite it. Models default to the arm's own model.
 */
export const CritiqueReviseStep = z.object({
  kind: z.literal('critique-revise'),
  principles: z.array(PrincipleRef).min(1, 'Pick at least one principle').max(12),
  criticModelId: z.string().min(1).max(300).optional(),
  reviserModelId: z.string().min(1).max(300).optional(),
});
export type CritiqueReviseStep = z.infer<typeof CritiqueReviseStep>;
