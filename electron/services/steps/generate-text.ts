/**
 * The text generator: the arm's model call, streamed through the Bedrock service. Pluggable
 * (types.ts Generator) so that image arms (issue 12) bring their own.
 */
import type { Generator } from './types';

export const textGenerator: Generator = {
  kind: 'generate',
  label: (request) => `Answer (${request.modelId})`,
  async run(ctx, onText) {
    const { modelId, system, messages, inference } = ctx.request;
    const result = await ctx.stream({ modelId, ...(system ? { system } : {}), messages, inference }, onText);
    return { text: result.text, stopReason: result.stopReason };
  },
};
