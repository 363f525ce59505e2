/**
 * Pairwise preference between a mitigated arm and the baseline. Judges favour whichever answer
 * they read first (or second) more often than chance, so the pair is judged in both orders:
 * the arm wins only when both orders pick it, the baseline only when both pick the baseline;
 * any disagreement is a tie.
 */
import { JUDGES } from '../../../shared/scores/judges';
import { asText, JudgeReplyError, pick, preview, reasoningOf, type JudgeReply } from './parse';
import { askJudge, checkInputs, describeFailure, JudgeInputError, type JudgeCall, type JudgeOutcome } from './runner';

export type Winner = 'A' | 'B' | 'tie';
export type Preference = 'baseline' | 'arm' | 'tie';

export function readWinner(reply: JudgeReply): Winner {
  const raw = asText(pick(reply.data, 'winner', 'preferred', 'preference', 'better', 'choice', 'verdict', 'answer'));
  const fromField = winnerWord(raw);
  if (fromField) return fromField;
  if (!reply.structured) {
    const bracketed = /\[\[\s*(A|B|C|tie)\s*\]\]/i.exec(reply.text); // MT-Bench style [[A]]
    if (bracketed) return winnerWord(bracketed[1]!) ?? 'tie';
    const stated = /\b(?:answer|response|assistant)\s*(A|B)\b\s*(?:is|was)\s*(?:clearly\s*)?(?:better|preferred|superior)/i.exec(reply.text);
    if (stated) return stated[1]!.toUpperCase() as Winner;
    if (/\b(it'?s a tie|tie|neither is (clearly )?better|equally good)\b/i.test(reply.text)) return 'tie';
  }
  throw new JudgeReplyError(`The pairwise judge named no winner (A, B or tie): ${preview(reply.text || JSON.stringify(reply.data))}`, reply.text);
}

function winnerWord(raw: string): Winner | undefined {
  const text = raw.trim().replace(/^[*"'`[(]+|[*"'`\].)]+$/g, '').trim();
  if (/^(answer|response|assistant)?\s*a$/i.test(text)) return 'A';
  if (/^(answer|response|assistant)?\s*b$/i.test(text)) return 'B';
  if (/^(tie|draw|c|neither|equal|both|none)$/i.test(text)) return 'tie';
  return undefined;
}

/** First order: A = baseline, B = arm. Second order: A = arm, B = baseline. */
export function toPreference(winner: Winner, order: 'baseline-first' | 'arm-first'): Preference {
  if (winner === 'tie') return 'tie';
  const armLetter = order === 'baseline-first' ? 'B' : 'A';
  return winner === armLetter ? 'arm' : 'baseline';
}

/** Both orders must agree; otherwise it is a tie. */
export function combinePairwise(baselineFirst: Winner, armFirst: Winner): Preference {
  const first = toPreference(baselineFirst, 'baseline-first');
  const second = toPreference(armFirst, 'arm-first');
  return first === second ? first : 'tie';
}

export const PREFERENCE_VALUE: Record<Preference, number> = { arm: 1, tie: 0, baseline: -1 };

export interface PairwiseResult {
  value: number;
  passed: boolean | null;
  feedback: string;
  details: { preference: Preference; orders: { order: 'baseline-first' | 'arm-first'; winner: Winner; reasoning: string }[] };
}

export async function judgePair(
  call: Omit<JudgeCall, 'definition' | 'values'>,
  values: { question: string; baseline: string; arm: string },
): Promise<JudgeOutcome<PairwiseResult>> {
  const definition = JUDGES.pairwise;
  const prompts: string[] = [];
  try {
    checkInputs(definition, values as unknown as Record<string, string>);
    if (!values.arm.trim() || !values.baseline.trim()) throw new JudgeInputError('Both the baseline and this arm need an output to compare.');
    const base = { question: values.question, context: '', reference: '', guidelines: '' };
    // Both orders at once; each is its own Converse call.
    const [first, second] = await Promise.all([
      askJudge({ ...call, definition, values: { ...base, answer_a: values.baseline, answer_b: values.arm } }),
      askJudge({ ...call, definition, values: { ...base, answer_a: values.arm, answer_b: values.baseline } }),
    ]);
    prompts.push(first.prompt, second.prompt);
    const firstWinner = readWinner(first.reply);
    const secondWinner = readWinner(second.reply);
    const preference = combinePairwise(firstWinner, secondWinner);
    const orders = [
      { order: 'baseline-first' as const, winner: firstWinner, reasoning: reasoningOf(first.reply) },
      { order: 'arm-first' as const, winner: secondWinner, reasoning: reasoningOf(second.reply) },
    ];
    const said = (p: Preference) => (p === 'arm' ? 'this arm' : p === 'baseline' ? 'the baseline' : 'a tie');
    const agreement =
      toPreference(firstWinner, 'baseline-first') === toPreference(secondWinner, 'arm-first')
        ? `Both orders chose ${said(preference)}.`
        : `The orders disagreed (baseline first: ${said(toPreference(firstWinner, 'baseline-first'))}; this arm first: ${said(toPreference(secondWinner, 'arm-first'))}), so it is a tie.`;
    return {
      ok: true,
      result: {
        value: PREFERENCE_VALUE[preference],
        passed: preference === 'tie' ? null : preference === 'arm',
        feedback: [agreement, ...orders.map((o) => `${o.order === 'baseline-first' ? 'Baseline shown first' : 'This arm shown first'}: ${o.reasoning}`)].join('\n\n'),
        details: { preference, orders },
      },
      prompt: prompts.join('\n\n———\n\n'),
      modelId: call.modelId,
      reply: first.reply,
    };
  } catch (error) {
    return { ok: false, ...describeFailure(error, call.signal), prompt: prompts.length ? prompts.join('\n\n———\n\n') : null, modelId: call.modelId };
  }
}
