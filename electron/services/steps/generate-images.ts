/**
 * The image generator (issue 12): an image arm's model call. Draws the arm's samples on seeds
 * seed, seed+1, … (the same seeds in every arm), keeps each as it arrives, and streams one line
 * per sample to the column, so the arm's text says what came back and why where nothing did.
 */
import { generateSamples, type ImageGenerator, type SampleOutcome } from '../images/generate';
import type { ImageRepo } from '../store/images';
import { imagePromptOf, requireImageArm } from './image-prompt';
import type { Generator } from './types';

function line(outcome: SampleOutcome, total: number): string {
  const head = `Image ${outcome.position + 1} of ${total} (seed ${outcome.seed})`;
  if (outcome.status === 'ok') return `${head}: generated.\n`;
  return `${head}: ${outcome.status === 'filtered' ? 'blocked by the model’s content filter' : 'failed'} — ${outcome.reason ?? 'no image came back'}\n`;
}

export function imageGenerator(deps: { model: ImageGenerator; images: ImageRepo; concurrency?: number }): Generator {
  return {
    kind: 'generate',
    label: (request) => `Images (${request.modelId})`,
    async run(ctx, onText) {
      const settings = requireImageArm(ctx.request, 'Image generation');
      const prompt = imagePromptOf(ctx.request);
      let text = '';
      const outcomes = await generateSamples(
        { modelId: ctx.request.modelId, prompt, settings },
        {
          model: deps.model,
          images: deps.images,
          runId: ctx.runId,
          armIndex: ctx.armIndex,
          signal: ctx.signal,
          ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
          onSample: (outcome) => {
            const next = line(outcome, settings.samples);
            text += next;
            onText(next);
          },
        },
      );
      const made = outcomes.filter((o) => o.status === 'ok').length;
      const summary = `${made} of ${settings.samples} image${settings.samples === 1 ? '' : 's'} generated for “${prompt}”.`;
      onText(summary);
      return { text: text + summary, stopReason: made === 0 ? 'no_images' : 'end_turn' };
    },
  };
}
