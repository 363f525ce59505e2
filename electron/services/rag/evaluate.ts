/**
 * Evaluation over a question set (issue 11): every question through every arm (the engine with
 * the real step runners; a clarify step gets the item's clarification as the user's answer),
 * then the judges (faithfulness against the sources, relevancy, correctness against the
 * reference, guidelines) and, when the expected source is known, retrieval hit rate and MRR.
 */
import { AppError } from '../../../shared/errors';
import { summarize, DEFAULT_EVAL_GUIDELINES, type EvalJudge, type EvalMetric, type EvalProgress, type EvalResult, type EvalRow, type QaItem, type QaSet } from '../../../shared/rag/qa';
import { retrievalHit } from '../../../shared/rag/rank';
import { armRetrieval } from '../../../shared/rag/step-detail';
import type { JudgePrompt } from '../../../shared/scores/judges';
import type { StepConfig } from '../../../shared/steps/registry';
import type { StepTrace } from '../../../shared/steps/trace';
import { BUILT_IN_TECHNIQUES } from '../../../shared/techniques';
import { evaluate as runJudge, EVALUATORS, type ConverseFn } from '../judges';
import { runArm } from '../steps/engine';
import type { StepCorpora, StepModels } from '../steps/types';

export interface EvalArm {
  label: string;
  steps: StepConfig[];
}

export interface EvaluateInput {
  set: QaSet;
  corpusName: string;
  arms: readonly EvalArm[];
  modelId: string;
  judgeModelId: string;
  system?: string;
  guidelines?: readonly string[];
  judges?: readonly EvalJudge[];
  signal?: AbortSignal;
  onProgress?(progress: EvalProgress): void;
}

export interface EvaluateDeps {
  models: StepModels;
  converse: ConverseFn;
  corpora: StepCorpora;
  prompts(): Record<string, JudgePrompt>;
  now?: () => number;
}

const NO_ANSWER_REPLY = 'I have nothing to add; please answer as best you can from the sources.';

export async function evaluateQaSet(deps: EvaluateDeps, input: EvaluateInput): Promise<EvalResult> {
  if (input.arms.length < 2) throw new AppError('bad_input', 'Evaluate at least two arms: the baseline and one grounded arm.');
  const judges = input.judges ?? ['faithfulness', 'relevancy', 'correctness', 'guidelines'];
  const guidelines = input.guidelines ?? DEFAULT_EVAL_GUIDELINES;
  const signal = input.signal ?? new AbortController().signal;
  const now = deps.now ?? Date.now;
  const started = now();
  const total = input.set.items.length * input.arms.length;
  let done = 0;
  const rows: EvalRow[] = [];
  const prompts = deps.prompts();
  input.onProgress?.({ done, total, finished: false, error: null });

  async function one(item: QaItem, armIndex: number, arm: EvalArm): Promise<EvalRow> {
    const traces = new Map<number, StepTrace>();
    const notes: string[] = [];
    let asked: string | null = null;
    const outcome = await runArm({
      runId: `eval-${item.id}`,
      armIndex,
      request: { modelId: input.modelId, system: input.system ?? '', messages: [{ role: 'user', text: item.question }], inference: { maxTokens: 800, temperature: 0 } },
      steps: arm.steps,
      env: { techniques: BUILT_IN_TECHNIQUES, defaultModelId: input.modelId, variables: new Map(), corpora: deps.corpora },
      models: deps.models,
      signal,
      hooks: {
        onStep: (trace) => traces.set(trace.index, trace),
        onText: () => undefined,
        ask: async (_step, question) => {
          asked = question;
          return item.clarification ?? NO_ANSWER_REPLY;
        },
      },
    });
    if (signal.aborted) throw new AppError('cancelled', 'The evaluation was cancelled.');
    if (outcome.status !== 'completed') notes.push(`${arm.label} did not complete: ${outcome.error?.message ?? outcome.stoppedBy?.reason ?? outcome.status}`);
    const answer = outcome.answer;
    const found = armRetrieval([...traces.values()].sort((a, b) => a.index - b.index));
    const sources = found?.retrieval.chunks.map((chunk) => chunk.documentName) ?? [];
    const context = found ? found.retrieval.chunks.map((chunk, index) => `[${index + 1}] ${chunk.documentName}\n${chunk.text}`).join('\n\n') : '';
    const scores = { faithfulness: null, relevancy: null, correctness: null, guidelines: null, hitRate: null, mrr: null } as Record<EvalMetric, number | null>;
    if (item.expectedSource && found) {
      const hit = retrievalHit(sources, item.expectedSource);
      scores.hitRate = hit.hit ? 1 : 0;
      scores.mrr = hit.reciprocalRank;
    }
    const values = { question: item.question, answer, context, reference: item.reference, guidelines: guidelines.map((g, i) => `${i + 1}. ${g}`).join('\n') };
    await Promise.all(
      judges.map(async (judge) => {
        if (judge === 'faithfulness' && !context) {
          notes.push('Faithfulness: no sources (an arm without retrieval answers from memory).');
          return;
        }
        if (!answer.trim()) return;
        const result = await runJudge(EVALUATORS[judge], { prompt: prompts[judge] ?? EVALUATORS[judge].definition.prompt, values, modelId: input.judgeModelId, converse: deps.converse, signal }, { guidelines });
        if (result.ok) scores[judge] = result.result.value;
        else notes.push(`${judge}: ${result.error}`);
      }),
    );
    return { itemId: item.id, kind: item.kind, question: item.question, armIndex, armLabel: arm.label, answer, sources, asked, scores, notes };
  }

  for (const item of input.set.items) {
    const results = await Promise.all(
      input.arms.map(async (arm, armIndex) => {
        const row = await one(item, armIndex, arm);
        done += 1;
        input.onProgress?.({ done, total, finished: false, error: null });
        return row;
      }),
    );
    rows.push(...results);
  }
  input.onProgress?.({ done, total, finished: true, error: null });
  return { setName: input.set.name, corpusName: input.corpusName, modelId: input.modelId, judgeModelId: input.judgeModelId, rows, arms: summarize(rows, input.arms.map((a) => a.label)), startedAt: started, totalMs: now() - started };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A self-contained HTML report of the evaluation: averages and deltas, then every answer. Everything escaped. */
export function evalHtml(result: EvalResult): string {
  const metrics: EvalMetric[] = ['faithfulness', 'relevancy', 'correctness', 'guidelines', 'hitRate', 'mrr'];
  const names: Record<EvalMetric, string> = { faithfulness: 'Faithfulness', relevancy: 'Relevancy', correctness: 'Correctness', guidelines: 'Guidelines', hitRate: 'Hit rate', mrr: 'MRR' };
  const num = (v: number | null) => (v === null ? '—' : v.toFixed(2));
  const delta = (v: number | null) => (v === null ? '' : ` <small>(${v >= 0 ? '+' : ''}${v.toFixed(2)})</small>`);
  const summary = result.arms.map((arm) => `<tr><th>${escapeHtml(arm.label)}</th>${metrics.map((m) => `<td>${num(arm.averages[m])}${delta(arm.deltas[m])}</td>`).join('')}</tr>`).join('');
  const rows = result.rows
    .map((row) => `<tr><td>${escapeHtml(row.question)}</td><td>${escapeHtml(row.armLabel)}</td><td>${escapeHtml(row.answer)}${row.asked ? `<br><em>Asked: ${escapeHtml(row.asked)}</em>` : ''}</td>${metrics.map((m) => `<td>${num(row.scores[m])}</td>`).join('')}</tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${escapeHtml(result.setName)} — evaluation</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1b1f27}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d0d4dc;padding:4px 8px;vertical-align:top;text-align:left}small{color:#5f6878}</style></head><body>
<h1>${escapeHtml(result.setName)}</h1><p>Corpus: ${escapeHtml(result.corpusName)} · model ${escapeHtml(result.modelId)} · judge ${escapeHtml(result.judgeModelId)} · ${result.rows.length} answers</p>
<h2>Averages per arm (delta against the baseline)</h2><table><thead><tr><th>Arm</th>${metrics.map((m) => `<th>${names[m]}</th>`).join('')}</tr></thead><tbody>${summary}</tbody></table>
<h2>Every answer</h2><table><thead><tr><th>Question</th><th>Arm</th><th>Answer</th>${metrics.map((m) => `<th>${names[m]}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></body></html>`;
}
