/**
 * What the guard steps (issue 10) share: the text a guard checks (input: the user's turns;
 * output: the answer), redaction applied back to it, and turning a check's finding into the
 * step's outcome by the step's action — flag (note and go on), redact (replace and go on), block
 * (stop the arm; on output the answer is replaced by the block message, the original kept as
 * the version before). The detail saved is a GuardDetail: counts and verdicts, never the values
 * a redaction removed.
 */
import { DEFAULT_OUTPUT_BLOCK_MESSAGE, type GuardAction, type GuardDetail, type GuardStage } from '../../../shared/steps/kinds/guard-common';
import { STEP_KINDS, type StepConfig } from '../../../shared/steps/registry';
import type { StepContext, StepOutcome } from './types';

export type GuardConfig = Extract<StepConfig, { kind: `guard-${string}` }>;

/** The text a guard checks. */
export function guardedText(ctx: StepContext, stage: GuardStage): string {
  if (stage === 'output') return ctx.answer ?? '';
  return ctx.request.messages
    .filter((turn) => turn.role === 'user')
    .map((turn) => turn.text)
    .join('\n\n');
}

/** The last thing the user asked (for classifier context and guardrail relevance). */
export function lastUserText(ctx: StepContext): string {
  return ctx.request.messages.filter((turn) => turn.role === 'user').at(-1)?.text ?? '';
}

export interface Finding {
  /** True when the check fired (above threshold, intervened, found something). */
  fired: boolean;
  detail: Omit<GuardDetail, 'stage' | 'action' | 'verdict' | 'blockMessage' | 'blockedText'>;
  /** A block message the check brings (the guardrail's own). */
  blockMessage?: string | null;
  /** How to redact, when the action is redact: the new text of each checked text. */
  redact?: (text: string) => { text: string; spans: { type: string; start: number; end: number }[] };
  /** The check can only flag or block (no way to redact what it found): redact then flags. */
  redactable?: boolean;
  /** Input: the check saw only the last user turn (redact that one only). */
  lastTurnOnly?: boolean;
}

export function guardName(config: GuardConfig): string {
  return STEP_KINDS[config.kind].name;
}

/** Applies the step's action to what the check found; saves the detail; returns the outcome. */
export function settle(ctx: StepContext, config: GuardConfig, finding: Finding): StepOutcome {
  const stage = config.stage;
  const action: GuardAction = config.action;
  const name = guardName(config);
  const base = { ...finding.detail, stage, action };
  if (!finding.fired) {
    ctx.setDetail({ ...base, verdict: 'pass', blockMessage: null, blockedText: null } satisfies GuardDetail, `Passed: ${finding.detail.reason}`);
    return { status: 'done', summary: `Passed: ${finding.detail.reason}` };
  }
  if (action === 'block') {
    const reason = `Blocked by ${name}: ${finding.detail.reason}`;
    if (stage === 'input') {
      ctx.setDetail({ ...base, verdict: 'blocked', blockMessage: finding.blockMessage ?? null, blockedText: null } satisfies GuardDetail, reason);
      return { status: 'stopped', reason: finding.blockMessage ? `${reason}. The guardrail says: “${finding.blockMessage}”` : `${reason}. The model was not called.` };
    }
    const blockMessage = finding.blockMessage ?? DEFAULT_OUTPUT_BLOCK_MESSAGE;
    ctx.setDetail({ ...base, verdict: 'blocked', blockMessage, blockedText: ctx.answer } satisfies GuardDetail, reason);
    return { status: 'stopped', reason, replaceAnswer: blockMessage };
  }
  if (action === 'redact' && finding.redact && finding.redactable !== false) {
    let redacted: GuardDetail['redacted'] = null;
    if (stage === 'input') {
      const lastUser = ctx.request.messages.map((turn) => turn.role).lastIndexOf('user');
      const messages = ctx.request.messages.map((turn, index) => {
        if (turn.role !== 'user' || (finding.lastTurnOnly && index !== lastUser)) return turn;
        const result = finding.redact!(turn.text);
        if (index === lastUser) redacted = { text: result.text, spans: result.spans };
        return { ...turn, text: result.text };
      });
      ctx.request = { ...ctx.request, messages };
    } else {
      const result = finding.redact(ctx.answer ?? '');
      redacted = { text: result.text, spans: result.spans };
      ctx.setAnswer(result.text, `${name}: redacted`);
    }
    const summary = `Redacted: ${finding.detail.reason}`;
    ctx.setDetail({ ...base, verdict: 'redacted', redacted, blockMessage: null, blockedText: null } satisfies GuardDetail, summary);
    return { status: 'done', summary };
  }
  const summary = `Flagged: ${finding.detail.reason}`;
  ctx.setDetail({ ...base, verdict: 'flagged', blockMessage: null, blockedText: null } satisfies GuardDetail, summary);
  return { status: 'done', summary };
}

export function emptyDetail(check: GuardDetail['check']): Finding['detail'] {
  return { check, reason: '', score: null, threshold: null, evidence: [], counts: {}, redacted: null, categories: {}, classifier: null, guardrail: null };
}

/** "email ×2, card ×1" */
export function countsLine(counts: Record<string, number>, label: (type: string) => string): string {
  return Object.entries(counts)
    .map(([type, count]) => `${label(type)} ×${count}`)
    .join(', ');
}
