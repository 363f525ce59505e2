import { AppError } from '../../../shared/errors';
import type { SuggestResult } from '../../../shared/contract/compare';
import { cleanRewrite, SUGGEST_SYSTEM_PROMPT } from '../../../shared/techniques';
import type { TextModel } from './types';

/**
 * "Suggest a mitigation": asks a model to rewrite the prompt without loaded assumptions.
 * Placeholders (`${name}`) are kept; the model is told to answer with the rewrite only, and
 * the answer is cleaned of quotes, fences and labels.
 */
export async function suggestMitigation(model: TextModel, prompt: string, modelId: string, signal?: AbortSignal): Promise<SuggestResult> {
  const result = await model.converse(
    {
      modelId,
      system: SUGGEST_SYSTEM_PROMPT,
      messages: [{ role: 'user', text: `Rewrite this prompt:\n\n${prompt}` }],
      inference: { temperature: 0.2, maxTokens: 1024 },
    },
    signal ? { signal } : {},
  );
  const rewrite = cleanRewrite(result.text);
  if (rewrite === '') {
    throw new AppError('bedrock', `${modelId} returned an empty rewrite. Try again, or pick another model for suggestions.`);
  }
  return { original: prompt, rewrite, modelId };
}
