/**
 * A run or a collection as Markdown, for reading and sharing (the JSON export is the lossless one).
 * Every field a person or a pack supplied is escaped: multi-line text (prompts, outputs, notes)
 * goes in fences longer than any backtick run inside, one-line text has every Markdown and HTML
 * character backslash-escaped (and `&` written as an entity), so nothing renders as markup in a
 * viewer that renders Markdown's HTML. Bidi overrides and zero-width characters are written out
 * visibly ("[U+202E RLO]"), as code editors show them.
 */
import { revealInvisiblesAsText } from '../../../shared/invisibles';
import type { Bundle, BundleHeader, RunRecord } from './bundle';

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

function metric(value: number | null, unit: string, digits = 0): string | null {
  return value === null ? null : `${value.toFixed(digits)} ${unit}`;
}

function scoreLine(score: RunRecord['scores'][number]): string {
  const name = score.otherArmIndex === null ? score.scorer : `${score.scorer} vs arm ${score.otherArmIndex + 1}`;
  const verdict =
    score.error !== null
      ? `error: ${inline(score.error)}`
      : [score.value === null ? null : String(Math.round(score.value * 1000) / 1000), score.passed === null ? null : score.passed ? 'pass' : 'fail']
          .filter(Boolean)
          .join(', ') || '—';
  const feedback = score.feedback.trim() ? ` — ${inline(score.feedback)}` : '';
  return `- **${inline(name)}**: ${verdict}${feedback}`;
}

export function runMarkdown(run: RunRecord, level: number): string {
  const h = '#'.repeat(level);
  const out: string[] = [`${h} ${inline(run.title)}`, ''];
  const facts = [
    `- **Started:** ${new Date(run.startedAt).toISOString()}`,
    `- **Status:** ${inline(run.status)}`,
    run.labId ? `- **Lab:** ${inline(run.labId)}` : null,
    run.tags.length > 0 ? `- **Tags:** ${run.tags.map(inline).join(', ')}` : null,
    run.starred ? '- **Starred**' : null,
    `- **Run id:** ${code(run.id)}`,
  ].filter((line): line is string => line !== null);
  out.push(...facts, '');
  if (run.note.trim()) out.push(`${h}# Note`, '', fence(run.note.trim()), '');
  for (const arm of run.arms) {
    const role = arm.index === 0 ? 'baseline' : 'mitigated';
    out.push(`${h}# ${arm.index + 1}. ${inline(arm.label)} (${role})`, '');
    out.push(`*${inline(arm.technique)} · ${inline(arm.modelId)} · ${inline(arm.status)}*`, '');
    if (arm.request.system) out.push('**System prompt**', '', fence(arm.request.system), '');
    for (const turn of arm.request.messages) {
      out.push(`**${turn.role === 'user' ? 'User' : 'Assistant'}**`, '', fence(turn.text), '');
    }
    const images = run.images.filter((image) => image.armIndex === arm.index).length;
    if (images > 0) out.push(`_${images} generated image${images === 1 ? '' : 's'} (shown in the HTML report, kept in the JSON export)._`, '');
    out.push('**Output**', '', arm.text.trim() ? fence(arm.text, 'markdown') : '_No output._', '');
    if (arm.error) out.push(`> **Error:** ${inline(arm.error.message)}`, '');
    const metrics = [
      metric(arm.metrics.inputTokens, 'input tokens'),
      metric(arm.metrics.outputTokens, 'output tokens'),
      metric(arm.metrics.ttftMs, 'ms to first token'),
      metric(arm.metrics.totalMs, 'ms total'),
      arm.metrics.costUsd === null ? null : `$${arm.metrics.costUsd.toFixed(5)}`,
    ].filter(Boolean);
    if (metrics.length > 0) out.push(`<sub>${metrics.join(' · ')}</sub>`, '');
    const scores = run.scores.filter((score) => score.armIndex === arm.index);
    if (scores.length > 0) out.push('**Scores**', '', ...scores.map(scoreLine), '');
  }
  return out.join('\n');
}

/** The heading of a many-run document (a single run starts with its own heading). */
export function markdownHeader(header: BundleHeader, title: string, count: number): string {
  if (count === 1) return '';
  return `# ${inline(title)}\n\n${count} runs, exported ${new Date(header.exportedAt).toISOString()} from Parallax ${inline(header.app.version)}.\n\n`;
}

/** One run's part of the document, as written in a stream of `count` runs. */
export function markdownRun(run: RunRecord, count: number): string {
  return count === 1 ? `${runMarkdown(run, 1)}\n` : `${runMarkdown(run, 2)}\n`;
}

export function renderMarkdown(bundle: Bundle, title: string): string {
  const count = bundle.runs.length;
  return markdownHeader(bundle, title, count) + bundle.runs.map((run) => markdownRun(run, count)).join('');
}
