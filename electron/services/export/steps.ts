/**
 * An arm's mitigation steps as the reports show them (issue 9 item 4): one row per step of the
 * timeline (friendly name, status, time, tokens, cost, one-line summary) and what the step did,
 * read from its saved detail with the shared zod schemas (never cast): the prompt after a
 * technique, the rewritten prompt, each critique and revision, guard verdicts with their
 * evidence, the sources retrieved, the clarifying question. Markdown and HTML print the same
 * view (markdown.ts, html.ts), each with its own escaping.
 */
import { ClarifyStepDetail, RetrieveStepDetail, type RetrievalDetail } from '../../../shared/rag/step-detail';
import { CritiqueReviseDetail, ImageChatDetail, ImageNegativeDetail, ImagePromptDetail, PromptDetail, QuestionDetail, RewriteDetail } from '../../../shared/steps/details';
import { GuardDetail } from '../../../shared/steps/kinds/guard-common';
import { costText, msText, round, shortModelName, STEP_STATUS_NAMES, stepKindName, stepName, tokensText } from '../../../shared/labels';
import type { StepStatus } from '../../../shared/steps/trace';
import type { RunRecord, StepRecord } from './bundle';

type ArmRecord = RunRecord['arms'][number];

/** One piece of what a step did. `text`: preformatted text (prompts, sources); `prose`: a model's explanation; `answer`: an answer's Markdown; `line`: one line. */
export type StepBlock =
  | { type: 'line'; label: string; text: string }
  | { type: 'text'; label: string; text: string }
  | { type: 'prose'; label: string; text: string }
  | { type: 'answer'; label: string; text: string }
  | { type: 'list'; label: string; items: string[] };

export interface StepView {
  /** 1-based place in the timeline. */
  n: number;
  name: string;
  kind: string;
  status: StepStatus;
  statusName: string;
  time: string | null;
  tokens: string | null;
  cost: string | null;
  summary: string | null;
  error: string | null;
  blocks: StepBlock[];
}

const VERDICT: Record<string, string> = { pass: 'Passed', flagged: 'Flagged', redacted: 'Redacted', blocked: 'Blocked' };
const STAGE: Record<string, string> = { input: 'on the request', output: 'on the answer' };

/** A model as a step's trace names it: its short name (the arm's full model id is in the report's prompt section). */
function model(id: string): string {
  return shortModelName(id);
}

function sources(retrieval: RetrievalDetail): StepBlock[] {
  const blocks: StepBlock[] = [
    { type: 'line', label: 'Searched', text: `${retrieval.corpusName} for “${retrieval.question}” (${retrieval.mode}, top ${retrieval.k})` },
  ];
  if (retrieval.note) blocks.push({ type: 'line', label: 'Note', text: retrieval.note });
  if (retrieval.chunks.length === 0) blocks.push({ type: 'line', label: 'Sources', text: 'None found.' });
  for (const chunk of retrieval.chunks) {
    const pages = chunk.pageStart === null ? '' : chunk.pageEnd !== null && chunk.pageEnd !== chunk.pageStart ? `, pages ${chunk.pageStart}–${chunk.pageEnd}` : `, page ${chunk.pageStart}`;
    blocks.push({ type: 'text', label: `Source [${chunk.rank}] ${chunk.documentName}${pages} (score ${round(chunk.score, 3)})`, text: chunk.text });
  }
  return blocks;
}

function guardBlocks(detail: GuardDetail): StepBlock[] {
  const blocks: StepBlock[] = [];
  const figures = [detail.score !== null ? `score ${round(detail.score, 3)}` : null, detail.threshold !== null ? `threshold ${round(detail.threshold, 3)}` : null].filter(Boolean);
  blocks.push({
    type: 'line',
    label: 'Verdict',
    text: `${VERDICT[detail.verdict] ?? detail.verdict} ${STAGE[detail.stage] ?? ''} (action: ${detail.action})${detail.reason ? ` — ${detail.reason}` : ''}${figures.length ? ` · ${figures.join(', ')}` : ''}`,
  });
  if (detail.classifier) {
    const c = detail.classifier;
    blocks.push({ type: 'line', label: 'Classifier', text: `${c.verdict}, ${c.category} (confidence ${round(c.confidence, 3)}) — ${c.reason} · ${model(c.modelId)}` });
  }
  const counts = Object.entries(detail.counts);
  if (counts.length) blocks.push({ type: 'line', label: 'Found', text: counts.map(([type, n]) => `${type} ×${n}`).join(', ') });
  const categories = Object.entries(detail.categories);
  if (categories.length) blocks.push({ type: 'line', label: 'Categories', text: categories.map(([name, v]) => `${name} ${round(v, 3)}`).join(', ') });
  if (detail.evidence.length) blocks.push({ type: 'list', label: 'Evidence', items: detail.evidence.map((e) => (e.hidden ? `${e.label} (hidden characters)` : `${e.label}: “${e.match}”`)) });
  if (detail.guardrail) {
    const g = detail.guardrail;
    blocks.push({ type: 'line', label: 'Guardrail', text: `${g.name ?? g.id} version ${g.version}: ${g.action}${g.grounded ? ' (grounded on the sources)' : ''}` });
    if (g.blockedMessage) blocks.push({ type: 'line', label: 'Guardrail message', text: g.blockedMessage });
  }
  if (detail.redacted) blocks.push({ type: 'text', label: 'After redaction', text: detail.redacted.text });
  if (detail.blockMessage) blocks.push({ type: 'line', label: 'Shown instead of the answer', text: detail.blockMessage });
  if (detail.blockedText) blocks.push({ type: 'answer', label: 'The answer it withheld', text: detail.blockedText });
  return blocks;
}

/** What the step did, from its detail (nothing when the detail is not a shape this kind saves). */
function blocksOf(step: StepRecord): StepBlock[] {
  const d = step.detail;
  switch (step.kind) {
    case 'technique':
    case 'specify': {
      const p = PromptDetail.safeParse(d);
      if (!p.success) return [];
      return [...(p.data.system ? [{ type: 'text' as const, label: 'System prompt after this step', text: p.data.system }] : []), { type: 'text', label: 'Request after this step', text: p.data.prompt }];
    }
    case 'rewrite': {
      const p = RewriteDetail.safeParse(d);
      if (!p.success) return [];
      return [
        { type: 'text', label: 'Before', text: p.data.original },
        { type: 'text', label: `Rewritten prompt (${model(p.data.modelId)})`, text: p.data.rewrite },
      ];
    }
    case 'critique-revise': {
      const p = CritiqueReviseDetail.safeParse(d);
      if (!p.success) return [];
      return p.data.principles.flatMap((c, i): StepBlock[] => [
        {
          type: 'prose',
          label: `Critique ${i + 1}: ${c.principle} — ${c.problem === null ? 'no verdict yet' : c.problem ? 'problem found' : 'no problem'} (critic ${model(c.criticModelId)})`,
          text: c.critique || '(no explanation given)',
        },
        ...(c.after !== null ? [{ type: 'answer' as const, label: `Revision ${i + 1} for “${c.principle}”${c.reviserModelId ? ` (reviser ${model(c.reviserModelId)})` : ''}`, text: c.after }] : []),
      ]);
    }
    case 'retrieve': {
      const p = RetrieveStepDetail.safeParse(d);
      return p.success ? sources(p.data) : [];
    }
    case 'clarify': {
      const p = ClarifyStepDetail.safeParse(d);
      if (!p.success) return [];
      const blocks: StepBlock[] = [];
      if (p.data.decision) blocks.push({ type: 'line', label: 'Decision', text: p.data.decision === 'ask' ? 'The question was too vague: asked a follow-up' : 'The question was clear enough' });
      if (p.data.question) blocks.push({ type: 'line', label: 'Question asked', text: p.data.question });
      if (p.data.reply) blocks.push({ type: 'line', label: 'Reply', text: p.data.reply });
      if (p.data.retrieval) blocks.push(...sources(p.data.retrieval));
      return blocks;
    }
    case 'image-inclusive': {
      const p = ImagePromptDetail.safeParse(d);
      return p.success ? [{ type: 'text', label: 'Image prompt after this step', text: p.data.prompt }] : [];
    }
    case 'image-negative': {
      const p = ImageNegativeDetail.safeParse(d);
      return p.success ? [{ type: 'text', label: 'Negative prompt', text: p.data.negativeText }] : [];
    }
    case 'image-chat': {
      const p = ImageChatDetail.safeParse(d);
      if (!p.success) return [];
      return [
        ...p.data.chat.map((turn, i): StepBlock => ({ type: 'line', label: `${turn.role === 'user' ? 'You' : 'Prompt writer'} (${i + 1})`, text: turn.text })),
        ...(p.data.prompt ? [{ type: 'text' as const, label: 'Image prompt it wrote', text: p.data.prompt }] : []),
      ];
    }
    default: {
      if (step.kind.startsWith('guard-')) {
        const p = GuardDetail.safeParse(d);
        return p.success ? guardBlocks(p.data) : [];
      }
      const q = QuestionDetail.safeParse(d);
      return q.success ? [{ type: 'line', label: 'Question asked', text: q.data.question }, ...(q.data.reply ? [{ type: 'line' as const, label: 'Reply', text: q.data.reply }] : [])] : [];
    }
  }
}

export function stepViews(arm: ArmRecord): StepView[] {
  return [...arm.steps]
    .sort((a, b) => a.index - b.index)
    .map((step, i) => ({
      n: i + 1,
      name: stepName(step),
      kind: stepKindName(step.kind),
      status: step.status,
      statusName: STEP_STATUS_NAMES[step.status] ?? step.status,
      time: msText(step.totalMs),
      tokens: tokensText(step.inputTokens, step.outputTokens),
      cost: costText(step.costUsd),
      summary: step.summary,
      error: step.error?.message ?? null,
      blocks: blocksOf(step),
    }));
}

/** Why the arm stopped early, if a step stopped it: "PII check (local) stopped this arm: …". */
export function stoppedByText(arm: ArmRecord): string | null {
  if (!arm.stoppedBy) return null;
  return `${stepName({ kind: '', label: arm.stoppedBy.label })} stopped this arm: ${arm.stoppedBy.reason}`;
}

/** The first draft, when later steps revised it (the final answer is the arm's text). */
export function firstDraft(arm: ArmRecord): string | null {
  if (arm.versions.length < 2) return null;
  const draft = [...arm.versions].sort((a, b) => a.stepIndex - b.stepIndex)[0]!;
  return draft.text !== arm.text ? draft.text : null;
}
