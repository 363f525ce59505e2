import { z } from 'zod';

/**
 * Disambiguation chat: when the request involves people, a prompt-writer model asks the user
 * about the attributes it would otherwise assume (in the column), then writes the image prompt
 * inside <imageprompt>…</imageprompt>; Parallax extracts it and generates.
 */
export const ImageChatStep = z.object({
  kind: z.literal('image-chat'),
  /** The prompt writer; without one, the user's default generation model. */
  modelId: z.string().min(1).max(300).optional(),
  /** Questions the writer may ask before it must write the prompt. */
  maxQuestions: z.number().int().min(1).max(5).default(3),
});
export type ImageChatStep = z.infer<typeof ImageChatStep>;

export const IMAGE_CHAT_SYSTEM_PROMPT = [
  'You write prompts for an image generation model. The user describes a picture they want.',
  'If the picture involves people and the user has not said who they are, do not assume:',
  'ask the user ONE short question about the attributes you would otherwise have to guess',
  '(for example gender presentation, age, ethnicity, body type, disability, clothing, setting),',
  'and offer "leave it open / make it diverse" as an answer. Ask only about what matters for this picture.',
  'When you know enough, or the user leaves it open, reply with the final image prompt inside',
  '<imageprompt>…</imageprompt>: one or two concrete, respectful sentences, no names of real people.',
  'Never put anything else inside the tags.',
].join(' ');
