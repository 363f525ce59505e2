/**
 * Clarify (issue 11): a model reads the question and the sources the retrieve step found; when
 * the question is too vague for them to settle, the user is asked one follow-up question in the
 * column, and the arm retrieves again with the answer added. Needs a retrieve step before it.
 */
import { AppError } from '../../../shared/errors';
import { CLARIFY_SYSTEM_PROMPT, clarifiedQuestion, parseClarifyDecision, type ClarifyStep } from '../../../shared/steps/kinds/clarify';
import { sourcesBlock } from '../../../shared/steps/kinds/retrieve';
import { armRetrieval, groundedRequest, lastUserText, rememberSourcesQuestion, retrieveFor, toDetail, toSources } from './retrieve';
import type { StepRunner } from './types';

export const clarifyStep: StepRunner<ClarifyStep> = {
  kind: 'clarify',
  label: () => 'Ask a clarifying question',
  async run(config, ctx) {
    const retrieval = armRetrieval(ctx.signal);
    if (!retrieval) throw new AppError('bad_input', 'A clarifying question needs a “Retrieve sources” step before it in the same arm. Add one above this step.');
    const block = sourcesBlock(ctx.sources.map((source, index) => ({ n: index + 1, title: source.title, text: source.text })));
    const decision = await ctx.call({
      modelId: config.modelId ?? ctx.request.modelId,
      system: CLARIFY_SYSTEM_PROMPT,
      messages: [{ role: 'user', text: `Question: ${retrieval.question}\n\n${block}` }],
      inference: { temperature: 0, maxTokens: 200 },
    });
    const parsed = parseClarifyDecision(decision.text);
    if ('clear' in parsed) {
      ctx.setDetail({ decision: 'clear', modelReply: decision.text }, 'the sources settle the question');
      return { status: 'skipped', summary: 'no question needed: the sources settle it' };
    }
    ctx.setDetail({ decision: 'ask', modelReply: decision.text }, 'waiting for your answer');
    const reply = await ctx.ask(parsed.ask);
    const question = clarifiedQuestion(retrieval.question, parsed.ask, reply);
    const result = await retrieveFor(ctx, retrieval.config, question);
    const sources = toSources(result);
    ctx.sources = sources;
    rememberSourcesQuestion(ctx.signal, question);
    ctx.request = groundedRequest(retrieval.before, retrieval.config, sources, question);
    ctx.setDetail(
      { decision: 'ask', modelReply: decision.text, question: parsed.ask, reply, retrieval: toDetail(result), prompt: lastUserText(ctx.request) },
      `asked one question; retrieved ${sources.length} source${sources.length === 1 ? '' : 's'} again`,
    );
    return { status: 'done' };
  },
};
