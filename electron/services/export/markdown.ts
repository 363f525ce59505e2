/**
 * A run or a collection as Markdown, for reading and sharing (the JSON export is the lossless one).
 * Every field a person or a pack supplied is escaped: multi-line text (prompts, outputs, notes)
 * goes in fences longer than any backtick run inside, one-line text has every Markdown and HTML
 * character backslash-escaped (and `&` written as an entity), so nothing renders as markup in a
 * viewer that renders Markdown's HTML. Bidi overrides and zero-width characters are written out
 * visibly ("[U+202E RLO]"), as code editors show them.
 *
 * Names are the friendly ones (shared/labels.ts): arms "Baseline" / "Arm 2 · label", techniques,
 * labs, short model names (the full id beside them), score labels with their scale; numbers
 * rounded (money to 6 decimal places, milliseconds whole). Each arm's mitigation steps follow its
 * prompt: the timeline as a table, then what each step did (./steps.ts).
 */
import { revealInvisiblesAsText } from '../../../shared/invisibles';
import { armName, armRole, armStatusLabel, costText, isPassFail, labLabel, msText, runStatusLabel, scoreName, scoreValueText, shortModelName, stopReasonLabel, techniqueLabel, tokensText } from '../../../shared/labels';
import type { Bundle, BundleHeader, RunRecord } from './bundle';
import type { ReportLabels } from './labels';
export type { ReportLabels } from './labels';
import { firstDraft, stepViews, stoppedByText } from './steps';

function fence(text: string, info = 'text'): string {
  let longest = 2;
  for (const m of text.matchAll(/`+|~+/g)) longest = Math.max(longest, m[0].length);
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${info}\n${revealInvisiblesAsText(text)}\n${ticks}`;
}

function inline(text: string): string {
  return revealInvisiblesAsText(text)
    .replace(/&/g, '&amp;')
    .replace(/([\\`*_[\]<>|#~])/g, '\\$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Inline code that no backtick inside can close early (CommonMark: a longer delimiter, padded). */
function code(text: string): string {
  const value = revealInvisiblesAsText(text).replace(/\s+/g, ' ');
  let longest = 0;
  for (const m of value.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const ticks = '`'.repeat(longest + 1);
  return `${ticks} ${value} ${ticks}`;
}


/** A score's verdict as printed: "4/5 · Pass", "Preferred", "Error: …". */
export function scoreVerdict(score: Pick<RunRecord['scores'][number], 'scorer' | 'value' | 'passed' | 'error'>): string {
  if (score.error !== null) return `Error: ${score.error}`;
  const value = scoreValueText(score.scorer, score.value, score.passed);
  if (score.value !== null && score.passed !== null && !isPassFail(score.scorer)) return `${value} · ${score.passed ? 'Pass' : 'Fail'}`;
  return value;
}

function scoreLine(score: RunRecord['scores'][number]): string {
  const feedback = score.feedback.trim() ? ` — ${inline(score.feedback)}` : '';
  return `- **${inline(scoreName(score.scorer, score.otherArmIndex))}**: ${inline(scoreVerdict(score))}${feedback}`;
}

function stepsMarkdown(arm: RunRecord['arms'][number]): string[] {
  const views = stepViews(arm);
  if (views.length === 0) return [];
  const out = ['**Mitigation steps**', '', '| # | Step | Status | Time | Tokens | Cost |', '|---|---|---|---|---|---|'];
  for (const v of views) out.push(`| ${v.n} | ${inline(v.name)} | ${inline(v.statusName)} | ${v.time ?? '—'} | ${v.tokens ?? '—'} | ${v.cost ? inline(v.cost) : '—'} |`);
  out.push('');
  for (const v of views) {
    const lines: string[] = [];
    if (v.summary) lines.push(`- ${inline(v.summary)}`);
    if (v.error) lines.push(`- **Error:** ${inline(v.error)}`);
    const blocks: string[] = [];
    for (const b of v.blocks) {
      if (b.type === 'line') lines.push(`- **${inline(b.label)}:** ${inline(b.text)}`);
      else if (b.type === 'list') lines.push(`- **${inline(b.label)}:** ${b.items.map(inline).join('; ')}`);
      else blocks.push(`*${inline(b.label)}*`, '', fence(b.text, b.type === 'answer' ? 'markdown' : 'text'), '');
    }
    if (lines.length === 0 && blocks.length === 0) continue;
    out.push(`*Step ${v.n}. ${inline(v.name)}* (${inline(v.kind)})`, '', ...lines, ...(lines.length ? [''] : []), ...blocks);
  }
  const stopped = stoppedByText(arm);
  if (stopped) out.push(`> **Stopped:** ${inline(stopped)}`, '');
  return out;
}

export function runMarkdown(run: RunRecord, level: number, labels: ReportLabels = {}): string {
  const h = '#'.repeat(level);
  const out: string[] = [`${h} ${inline(run.title)}`, ''];
  const facts = [
    `- **Started:** ${new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- **Status:** ${inline(runStatusLabel(run.status))}`,
    run.labId ? `- **Lab:** ${inline(labLabel(run.labId))}` : null,
    run.tags.length > 0 ? `- **Tags:** ${run.tags.map(inline).join(', ')}` : null,
    run.starred ? '- **Starred**' : null,
    `- **Run id:** ${code(run.id)}`,
  ].filter((line): line is string => line !== null);
  out.push(...facts, '');
  if (run.note.trim()) out.push(`${h}# Note`, '', fence(run.note.trim()), '');
  for (const arm of run.arms) {
    out.push(`${h}# ${inline(armName(arm.index, arm.label))}`, '');
    const role = armRole(arm.index, arm.technique);
    const technique = arm.index === 0 ? null : techniqueLabel(arm.technique, labels.techniques);
    out.push(`*${[role, technique, shortModelName(arm.modelId), armStatusLabel(arm.status)].filter(Boolean).map((part) => inline(part!)).join(' · ')}* — model ${code(arm.modelId)}`, '');
    if (arm.request.system) out.push('**System prompt**', '', fence(arm.request.system), '');
    for (const turn of arm.request.messages) {
      out.push(`**${turn.role === 'user' ? 'User' : 'Assistant'}**`, '', fence(turn.text), '');
    }
    out.push(...stepsMarkdown(arm));
    const images = run.images.filter((image) => image.armIndex === arm.index).length;
    if (images > 0) out.push(`_${images} generated image${images === 1 ? '' : 's'} (shown in the HTML report, kept in the JSON export)._`, '');
    const draft = firstDraft(arm);
    if (draft !== null) out.push('**First draft** (before the steps revised it)', '', fence(draft, 'markdown'), '');
    out.push(draft !== null ? '**Final answer**' : '**Output**', '', arm.text.trim() ? fence(arm.text, 'markdown') : '_No output._', '');
    if (arm.error) out.push(`> **Error:** ${inline(arm.error.message)}`, '');
    const stop = stopReasonLabel(arm.stopReason);
    const metrics = [
      tokensText(arm.metrics.inputTokens, arm.metrics.outputTokens)?.concat(' tokens'),
      arm.metrics.ttftMs === null ? null : `${msText(arm.metrics.ttftMs)} to first token`,
      arm.metrics.totalMs === null ? null : `${msText(arm.metrics.totalMs)} total`,
      costText(arm.metrics.costUsd),
      stop ? `stop: ${stop}` : null,
    ].filter(Boolean);
    if (metrics.length > 0) out.push(`<sub>${metrics.map((m) => inline(m!)).join(' · ')}</sub>`, '');
    const scores = run.scores.filter((score) => score.armIndex === arm.index);
    if (scores.length > 0) out.push('**Scores**', '', ...scores.map(scoreLine), '');
  }
  return out.join('\n');
}

/** The heading of a many-run document (a single run starts with its own heading). */
export function markdownHeader(header: BundleHeader, title: string, count: number): string {
  if (count === 1) return '';
  return `# ${inline(title)}\n\n${count} runs, exported ${new Date(header.exportedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC from Parallax ${inline(header.app.version)}.\n\n`;
}

/** One run's part of the document, as written in a stream of `count` runs. */
export function markdownRun(run: RunRecord, count: number, labels: ReportLabels = {}): string {
  return `${runMarkdown(run, count === 1 ? 1 : 2, labels)}\n`;
}

export function renderMarkdown(bundle: Bundle, title: string, labels: ReportLabels = {}): string {
  const count = bundle.runs.length;
  return markdownHeader(bundle, title, count) + bundle.runs.map((run) => markdownRun(run, count, labels)).join('');
}
