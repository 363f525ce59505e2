/** Question sets for evaluating grounded arms (issue 11), and the evaluation's results. */
import { z } from 'zod';
import shipped from '../../resources/qa/anycompany-bank.json';

export const QaItem = z.object({
  id: z.string().min(1).max(80),
  kind: z.enum(['single', 'none', 'multi', 'vague']).default('single'),
  question: z.string().trim().min(1).max(5_000),
  reference: z.string().trim().min(1).max(10_000),
  /** The file that holds the answer, when one does: hit rate and MRR are computed from it. */
  expectedSource: z.string().max(255).optional(),
  /** What the user answers when a clarify step asks a follow-up question. */
  clarification: z.string().max(2_000).optional(),
});
export type QaItem = z.infer<typeof QaItem>;

export const QaSet = z.object({
  id: z.string().min(1).max(80),
  name: z.string().min(1).max(200),
  description: z.string().max(2_000).default(''),
  corpus: z.string().max(120).optional(),
  items: z.array(QaItem).min(1).max(500),
});
export type QaSet = z.infer<typeof QaSet>;

export const QA_KIND_NAMES: Record<QaItem['kind'], string> = {
  single: 'answered in one place',
  none: 'answered nowhere',
  multi: 'two places plus arithmetic',
  vague: 'needs a clarifying question',
};

/** The shipped AnyCompany Bank question set, parsed (never cast). */
export const SAMPLE_QA_SET: QaSet = QaSet.parse(shipped);

export const EVAL_JUDGES = ['faithfulness', 'relevancy', 'correctness', 'guidelines'] as const;
export type EvalJudge = (typeof EVAL_JUDGES)[number];
export const EVAL_METRICS = [...EVAL_JUDGES, 'hitRate', 'mrr'] as const;
export type EvalMetric = (typeof EVAL_METRICS)[number];
export const EVAL_METRIC_NAMES: Record<EvalMetric, string> = {
  faithfulness: 'Faithfulness',
  relevancy: 'Relevancy',
  correctness: 'Correctness',
  guidelines: 'Guidelines',
  hitRate: 'Hit rate',
  mrr: 'MRR',
};

export const DEFAULT_EVAL_GUIDELINES = [
  'Answers only from AnyCompany Bank’s own handbook and says plainly when it does not know.',
  'Never invents a rate, fee, limit or deadline.',
];

export interface EvalRow {
  itemId: string;
  kind: QaItem['kind'];
  question: string;
  armIndex: number;
  armLabel: string;
  answer: string;
  /** Files of the retrieved passages, best first (empty for arms without retrieval). */
  sources: string[];
  /** The follow-up question a clarify step asked, if any. */
  asked: string | null;
  scores: Record<EvalMetric, number | null>;
  /** Why a score is missing (a judge's error, "no sources", …). */
  notes: string[];
}

export interface EvalArmSummary {
  armIndex: number;
  label: string;
  averages: Record<EvalMetric, number | null>;
  /** Average minus the baseline's (null for the baseline, or when either is missing). */
  deltas: Record<EvalMetric, number | null>;
}

export interface EvalResult {
  setName: string;
  corpusName: string;
  modelId: string;
  judgeModelId: string;
  rows: EvalRow[];
  arms: EvalArmSummary[];
  startedAt: number;
  totalMs: number;
}

export interface EvalProgress {
  done: number;
  total: number;
  finished: boolean;
  error: string | null;
}

/** Averages per arm over the rows that have each score, and deltas against arm 0 (the baseline). */
export function summarize(rows: readonly EvalRow[], labels: readonly string[]): EvalArmSummary[] {
  const averages = labels.map((_, armIndex) => {
    const mine = rows.filter((row) => row.armIndex === armIndex);
    return Object.fromEntries(
      EVAL_METRICS.map((metric) => {
        const values = mine.map((row) => row.scores[metric]).filter((v): v is number => v !== null);
        return [metric, values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : null];
      }),
    ) as Record<EvalMetric, number | null>;
  });
  return labels.map((label, armIndex) => ({
    armIndex,
    label,
    averages: averages[armIndex]!,
    deltas: Object.fromEntries(
      EVAL_METRICS.map((metric) => {
        const mine = averages[armIndex]![metric];
        const base = averages[0]![metric];
        return [metric, armIndex === 0 || mine === null || base === null ? null : mine - base];
      }),
    ) as Record<EvalMetric, number | null>,
  }));
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : value;
  // A leading = + - @ would run as a formula in a spreadsheet: quote it with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The results table as CSV: one row per question and arm, then the averages and deltas per arm. */
export function evalCsv(result: EvalResult): string {
  const header = ['question id', 'kind', 'question', 'arm', 'answer', 'sources', 'clarifying question', ...EVAL_METRICS.map((m) => EVAL_METRIC_NAMES[m]), 'notes'];
  const lines = [header.map(csvCell).join(',')];
  for (const row of result.rows) {
    lines.push([row.itemId, QA_KIND_NAMES[row.kind], row.question, row.armLabel, row.answer, row.sources.join('; '), row.asked ?? '', ...EVAL_METRICS.map((m) => row.scores[m]), row.notes.join(' | ')].map(csvCell).join(','));
  }
  lines.push('');
  lines.push(['arm', ...EVAL_METRICS.flatMap((m) => [`${EVAL_METRIC_NAMES[m]} (average)`, `${EVAL_METRIC_NAMES[m]} (delta vs baseline)`])].map(csvCell).join(','));
  for (const arm of result.arms) lines.push([arm.label, ...EVAL_METRICS.flatMap((m) => [arm.averages[m], arm.deltas[m]])].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
