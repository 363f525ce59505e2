/** A run or a collection as Markdown, for reading and sharing (the JSON export is the lossless one). */
import type { Bundle, RunRecord } from './bundle';

function fence(text: string, info = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${info}\n${text}\n${ticks}`;
}

function inline(text: string): string {
  return text.replace(/([\\`*_[\]<>|#])/g, '\\$1').replace(/\s+/g, ' ').trim();
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

function runMarkdown(run: RunRecord, level: number): string {
  const h = '#'.repeat(level);
  const out: string[] = [`${h} ${inline(run.title)}`, ''];
  const facts = [
    `- **Started:** ${new Date(run.startedAt).toISOString()}`,
    `- **Status:** ${run.status}`,
    run.labId ? `- **Lab:** ${inline(run.labId)}` : null,
    run.tags.length > 0 ? `- **Tags:** ${run.tags.map(inline).join(', ')}` : null,
    run.starred ? '- **Starred**' : null,
    `- **Run id:** \`${run.id}\``,
  ].filter((line): line is string => line !== null);
  out.push(...facts, '');
  if (run.note.trim()) out.push(`${h}# Note`, '', run.note.trim(), '');
  for (const arm of run.arms) {
    const role = arm.index === 0 ? 'baseline' : 'mitigated';
    out.push(`${h}# ${arm.index + 1}. ${inline(arm.label)} (${role})`, '');
    out.push(`*${inline(arm.technique)} · ${inline(arm.modelId)} · ${arm.status}*`, '');
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

export function renderMarkdown(bundle: Bundle, title: string): string {
  if (bundle.runs.length === 1) return `${runMarkdown(bundle.runs[0]!, 1)}\n`;
  const parts = [
    `# ${inline(title)}`,
    '',
    `${bundle.runs.length} runs, exported ${new Date(bundle.exportedAt).toISOString()} from Parallax ${bundle.app.version}.`,
    '',
    ...bundle.runs.map((run) => runMarkdown(run, 2)),
  ];
  return `${parts.join('\n')}\n`;
}
