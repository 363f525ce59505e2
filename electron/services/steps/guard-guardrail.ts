/**
 * A Bedrock Guardrail as a step: ApplyGuardrail with source INPUT (the user's turns) or OUTPUT
 * (the answer; with the arm's sources as grounding source and the question as query, so the
 * contextual grounding check runs). Every assessment is kept for the trace view; when the
 * guardrail intervenes, block stops the arm with the guardrail's own blocked message, redact
 * uses its masked text (ANONYMIZED entities), flag notes it and goes on.
 */
import { AppError } from '../../../shared/errors';
import { ACCOUNT_GUARDRAIL, type GuardGuardrailStep } from '../../../shared/steps/kinds/guard-guardrail';
import type { GuardrailAssessment } from '../bedrock/guardrails';
import { emptyDetail, guardedText, lastUserText, settle } from './guard-core';
import { sourcesQuestion } from './retrieve';
import type { StepRunner } from './types';

/** What fired, in words: "INSULTS (HIGH), denied topic Investment advice, EMAIL anonymized". */
export function assessmentLine(assessments: readonly GuardrailAssessment[]): string {
  const parts: string[] = [];
  for (const a of assessments) {
    for (const f of a.contentFilters) if (f.action !== 'NONE') parts.push(`${f.type} (${f.confidence})`);
    for (const t of a.deniedTopics) if (t.action !== 'NONE') parts.push(`denied topic ${t.name}`);
    for (const w of a.words) if (w.action !== 'NONE') parts.push(`word “${w.match}”`);
    for (const p of a.piiEntities) if (p.action !== 'NONE') parts.push(`${p.type} ${p.action.toLowerCase()}`);
    for (const r of a.regexes) if (r.action !== 'NONE') parts.push(`${r.name} ${r.action.toLowerCase()}`);
    for (const g of a.grounding) if (g.action !== 'NONE') parts.push(`${g.type.toLowerCase()} ${g.score ?? '?'} < ${g.threshold ?? '?'}`);
  }
  return parts.join(', ');
}

export const guardGuardrailStep: StepRunner<GuardGuardrailStep> = {
  kind: 'guard-guardrail',
  label: (config) => `Guardrail ${config.guardrailName ?? config.guardrailId} v${config.guardrailVersion} on ${config.stage}`,
  async run(config, ctx) {
    if (config.guardrailId === ACCOUNT_GUARDRAIL) {
      throw new AppError(
        'bad_input',
        'This arm’s Bedrock Guardrail step needs one of your account’s guardrails. Open the arm and pick one in the step (the list comes from your account; refresh it in Settings). None listed? Create one in the Amazon Bedrock console (Guardrails → Create guardrail: content filters, denied topics, word filters, sensitive information), then refresh and run again.',
      );
    }
    const text = config.stage === 'input' ? lastUserText(ctx) : guardedText(ctx, config.stage);
    const grounded = config.stage === 'output' && config.grounding !== false && ctx.sources.length > 0;
    const result = await ctx.applyGuardrail({
      guardrailId: config.guardrailId,
      version: config.guardrailVersion,
      source: config.stage === 'input' ? 'INPUT' : 'OUTPUT',
      text,
      // The query is the question the sources were retrieved for, not the request with the sources in front of it.
      ...(grounded ? { groundingSource: ctx.sources.map((s) => s.text).join('\n\n'), query: sourcesQuestion(ctx.signal) ?? lastUserText(ctx) } : {}),
    });
    const counts: Record<string, number> = {};
    for (const a of result.assessments) for (const p of a.piiEntities) counts[p.type] = (counts[p.type] ?? 0) + 1;
    const blocked = result.assessments.some((a) =>
      [...a.contentFilters, ...a.deniedTopics, ...a.words, ...a.piiEntities, ...a.regexes, ...a.grounding].some((x) => x.action === 'BLOCKED'),
    );
    const output = result.outputs.join('\n') || null;
    const fired = result.intervened;
    const line = assessmentLine(result.assessments);
    const reason = fired ? `intervened${line ? `: ${line}` : ''}` : `no intervention${line ? ` (${line})` : ''}`;
    // Assessments may quote matched text (PII); keep types and actions, drop the matches.
    const assessments = result.assessments.map((a) => ({
      ...a,
      piiEntities: a.piiEntities.map((p) => ({ ...p, match: '' })),
      regexes: a.regexes.map((r) => ({ ...r, match: '' })),
    }));
    return settle(ctx, { ...config, action: config.action === 'redact' && blocked ? 'block' : config.action }, {
      fired,
      lastTurnOnly: true,
      blockMessage: output,
      redactable: !blocked && output !== null,
      redact: () => ({ text: output ?? '', spans: [] }),
      detail: {
        ...emptyDetail('guardrail'),
        reason,
        counts,
        guardrail: { id: config.guardrailId, version: config.guardrailVersion, name: config.guardrailName ?? null, action: result.action, blockedMessage: fired ? output : null, assessments, grounded },
      },
    });
  },
};
