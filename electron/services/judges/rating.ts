import { asNumber, JudgeReplyError, pick, preview } from './parse';
import type { JudgeReply } from './parse';

/** A 1–5 rating under its usual names; throws when missing or out of range. */
export function readRating(reply: JudgeReply, label: string): number {
  const raw = pick(reply.data, 'score', 'rating', 'grade', 'value');
  const score = asNumber(raw);
  if (score === undefined) {
    throw new JudgeReplyError(`The ${label} judge gave no 1–5 score: ${preview(reply.text || JSON.stringify(reply.data))}`, reply.text);
  }
  const rounded = Math.round(score);
  if (rounded < 1 || rounded > 5) throw new JudgeReplyError(`The ${label} judge gave a score of ${score}, outside 1–5.`, reply.text);
  return rounded;
}
