import { z } from 'zod';
import { guardBase } from './guard-common';

export const TOXICITY_CATEGORIES = ['hate_speech', 'graphic', 'harassment', 'sexual', 'violence', 'insult', 'profanity'] as const;
export type ToxicityCategory = (typeof TOXICITY_CATEGORIES)[number];
export const TOXICITY_LABELS: Record<ToxicityCategory | 'overall', string> = {
  hate_speech: 'Hate speech',
  graphic: 'Graphic',
  harassment: 'Harassment or abuse',
  sexual: 'Sexual',
  violence: 'Violence or threat',
  insult: 'Insult',
  profanity: 'Profanity',
  overall: 'Overall',
};

/** Toxicity by a judge model: 0–1 per category and overall; fires when the overall score (or any category) reaches the threshold. */
export const GuardToxicityStep = z.object({
  kind: z.literal('guard-toxicity'),
  ...guardBase,
  action: z.enum(['flag', 'block']).default('block'),
  modelId: z.string().min(1).max(300).optional(),
  threshold: z.number().min(0).max(1).default(0.5),
});
export type GuardToxicityStep = z.infer<typeof GuardToxicityStep>;
