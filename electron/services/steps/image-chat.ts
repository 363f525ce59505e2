/**
 * "Ask, don't assume": a prompt-writer model asks the user about the people in the picture (in
 * the column, through ctx.ask) until it writes the image prompt inside <imageprompt>…</imageprompt>.
 * The chat and the extracted prompt are the step's trace.
 */
import { AppError } from '../../../shared/errors';
import { extractImagePrompt } from '../../../shared/images/imageprompt';
import { IMAGE_CHAT_SYSTEM_PROMPT, type ImageChatStep } from '../../../shared/steps/kinds/image-chat';
import type { Turn } from '../../../shared/domain';
import { imagePromptOf, requireImageArm, withImagePrompt } from './image-prompt';
import type { StepRunner } from './types';

export interface ImageChatDetail {
  chat: Turn[];
  prompt: string | null;
}

const WRITE_NOW = 'Please write the image prompt now, inside <imageprompt>…</imageprompt>. Where I have not said, keep it open and diverse rather than guessing.';

export const imageChatStep: StepRunner<ImageChatStep> = {
  kind: 'image-chat',
  label: () => 'Ask, don’t assume',
  async run(config, ctx) {
    requireImageArm(ctx.request, 'Ask, don’t assume');
    const modelId = config.modelId ?? ctx.env.defaultModelId;
    const chat: Turn[] = [{ role: 'user', text: imagePromptOf(ctx.request) }];
    const save = (prompt: string | null) => ctx.setDetail({ chat: chat.map((t) => ({ ...t })), prompt } satisfies ImageChatDetail, prompt ? `Image prompt: ${prompt}` : `Asked ${Math.floor(chat.length / 2)} question(s)`);
    for (let turn = 0; turn <= config.maxQuestions; turn += 1) {
      const last = turn === config.maxQuestions;
      if (last) chat.push({ role: 'user', text: WRITE_NOW });
      const reply = await ctx.call({ modelId, system: IMAGE_CHAT_SYSTEM_PROMPT, messages: chat, inference: { temperature: 0.3, maxTokens: 400 } });
      chat.push({ role: 'assistant', text: reply.text });
      const extraction = extractImagePrompt(reply.text);
      if (extraction.found) {
        save(extraction.prompt);
        ctx.request = withImagePrompt(ctx.request, extraction.prompt);
        return { status: 'done', summary: `Image prompt: ${extraction.prompt}` };
      }
      save(null);
      if (last) break;
      const answer = await ctx.ask(reply.text.trim() || 'Who should be in the picture?');
      chat.push({ role: 'user', text: answer });
      save(null);
    }
    throw new AppError('bedrock', `The prompt writer (${modelId}) did not write an image prompt inside <imageprompt> tags after ${config.maxQuestions} question(s). Try another model for this step.`);
  },
};
