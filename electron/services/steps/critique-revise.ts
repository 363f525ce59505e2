/**
 * Critique and revise (constitutional): for each principle in order, a critic model critiques
 * the current answer with a structured verdict (Converse tool use, read tolerantly as the
 * judges do); only when it finds a problem does a reviser model rewrite the answer, and each
 * revision is a new AnswerVersion. Actor, critic and reviser models may differ (both default
 * to the arm's own model). The detail is saved after every principle, so a run killed in the
 * middle keeps the critiques made so far.
 */
import { AppError } from '../../../shared/errors';
import { CRITIC_SYSTEM_PROMPT, CRITIQUE_TOOL, renderCritique, renderRevision, resolvePrinciples, REVISER_SYSTEM_PROMPT, type PrincipleExchange } from '../../../shared/principles';
import type { CritiqueReviseDetail, PrincipleCritique } from '../../../shared/steps/details';
import type { CritiqueReviseStep } from '../../../shared/steps/kinds/critique-revise';
import { principleName } from '../../../shared/principles';
import { asBool, asText, pick, preview, readReply } from '../judges/parse';
import type { StepRunner } from './types';

export type { CritiqueReviseDetail, PrincipleCritique } from '../../../shared/steps/details';

/** Reads a critic's verdict; throws a clear error when there is none. */
export function readVerdict(toolInput: unknown, text: string, principle: string, modelId: string): { problem: boolean; critique: string } {
  const reply = readReply(toolInput, text);
  let problem = asBool(pick(reply.data, 'problem', 'has_problem', 'violation', 'violates', 'breaks_principle', 'flagged', 'issue_found'));
  if (problem === undefined) {
    const verdict = pick(reply.data, 'verdict', 'result', 'decision');
    if (typeof verdict === 'string') {
      if (/\b(violat|problem|fail|breaks)/i.test(verdict)) problem = true;
      else if (/\b(ok|fine|pass|complian|no problem)/i.test(verdict)) problem = false;
    }
  }
  if (problem === undefined) {
    throw new AppError(
      'bedrock',
      `The critic (${modelId}) gave no verdict for “${principle}”: ${preview(text || JSON.stringify(reply.data))}. Pick a critic model that supports tool use, then run the arm again.`,
      text,
    );
  }
  const critique = asText(pick(reply.data, 'critique', 'reasoning', 'reason', 'explanation', 'feedback', 'analysis')) || (reply.structured ? '' : text.trim());
  return { problem, critique };
}

/** The reviser's answer with wrapping quotes, fences and a leading label cleaned off. */
function cleanRevision(text: string): string {
  let out = text.trim();
  out = out.replace(/^```[a-z]*\n([\s\S]*?)\n?```$/i, '$1').trim();
  out = out.replace(/^(revised answer|revision|answer)\s*:\s*/i, '').trim();
  return out;
}

export const critiqueReviseStep: StepRunner<CritiqueReviseStep> = {
  kind: 'critique-revise',
  label: (config) => {
    const names = config.principles.map(principleName);
    return names.length <= 2 ? `Critique and revise: ${names.join(', ')}` : `Critique and revise: ${names.length} principles`;
  },
  async run(config, ctx) {
    const { principles, unknown } = resolvePrinciples(config.principles);
    if (unknown.length > 0) {
      throw new AppError('bad_input', `This version of Parallax has no principle “${unknown.join('”, “')}”. Remove it from the step or pick a built-in one.`);
    }
    if (ctx.answer === null) throw new AppError('internal', 'Critique and revise ran before the model answered.');
    const criticModelId = config.criticModelId ?? ctx.request.modelId;
    const reviserModelId = config.reviserModelId ?? ctx.request.modelId;
    const conversation = ctx.request.messages.map((turn) => ({ role: turn.role, text: turn.text }));
    const done: PrincipleCritique[] = [];
    let revised = 0;
    const save = () => ctx.setDetail({ principles: done.map((p) => ({ ...p })) } satisfies CritiqueReviseDetail, summaryOf(done, principles.length, revised));

    for (const principle of principles) {
      const before = ctx.answer ?? '';
      const exchange: PrincipleExchange = { system: ctx.request.system, conversation, answer: before };
      const entry: PrincipleCritique = { principle: principle.name, problem: null, critique: '', criticModelId, reviserModelId: null, before, after: null };
      done.push(entry);
      save(); // the timeline shows which principle is being checked
      const reply = await ctx.call({
        modelId: criticModelId,
        system: CRITIC_SYSTEM_PROMPT,
        messages: [{ role: 'user', text: renderCritique(principle, exchange) }],
        inference: { temperature: 0, maxTokens: 1024 },
        tool: { name: CRITIQUE_TOOL.name, description: CRITIQUE_TOOL.description, inputSchema: CRITIQUE_TOOL.inputSchema as unknown as Record<string, unknown> },
      });
      let verdict: { problem: boolean; critique: string };
      try {
        verdict = readVerdict(reply.toolInput, reply.text, principle.name, criticModelId);
      } catch (caught) {
        done.pop();
        save();
        throw caught;
      }
      entry.problem = verdict.problem;
      entry.critique = verdict.critique;
      save();
      if (!verdict.problem) continue;

      const revision = await ctx.call({
        modelId: reviserModelId,
        system: REVISER_SYSTEM_PROMPT,
        messages: [{ role: 'user', text: renderRevision(principle, exchange, verdict.critique) }],
        inference: { temperature: 0.2, maxTokens: Math.max(1024, ctx.request.inference.maxTokens ?? 2048) },
      });
      const after = cleanRevision(revision.text);
      if (after === '') {
        throw new AppError('bedrock', `The reviser (${reviserModelId}) returned an empty revision for “${principle.name}”. Run the arm again, or pick another reviser model.`);
      }
      entry.reviserModelId = reviserModelId;
      entry.after = after;
      revised += 1;
      ctx.setAnswer(after, principle.name);
      save();
    }
    return { status: 'done', summary: summaryOf(done, principles.length, revised) };
  },
};

function summaryOf(done: readonly PrincipleCritique[], total: number, revised: number): string {
  const checked = done.filter((p) => p.problem !== null).length;
  if (checked < total) return `Checked ${checked} of ${total} principles, revised ${revised}`;
  if (revised === 0) return total === 1 ? 'No problem found' : `No problem found in ${total} principles`;
  return `Revised for ${revised} of ${total} principle${total === 1 ? '' : 's'}`;
}
