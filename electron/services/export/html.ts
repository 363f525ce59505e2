/**
 * A single self-contained HTML report: inline CSS, images as data: URIs, a strict CSP in a
 * meta tag (no script, no network), and every piece of text HTML-escaped — model output is
 * shown as plain preformatted text, never as markup.
 */
import { diffWords } from 'diff';
import type { Bundle, RunRecord } from './bundle';
import type { ScoreLookup } from './csv';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
:root { color-scheme: light dark; --bg:#f6f7f9; --surface:#fff; --border:#e1e4ea; --text:#1b1f27; --muted:#5f6878; --accent:#4f46e5; --ins:#e5f5ed; --del:#fdecef; }
@media (prefers-color-scheme: dark) { :root { --bg:#14161b; --surface:#1c1f26; --border:#2c313b; --text:#e7e9ee; --muted:#a2a9b7; --accent:#8b85ff; --ins:#15301f; --del:#3a1d24; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 32px; font: 14px/1.55 system-ui, -apple-system, 'Segoe UI', sans-serif; background: var(--bg); color: var(--text); }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 0 0 6px; } h3 { font-size: 14px; margin: 0; }
.muted { color: var(--muted); }
.run { margin: 28px 0; padding: 20px; background: var(--surface); border: 1px solid var(--border); border-radius: 14px; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 0 0 14px; color: var(--muted); font-size: 13px; }
.chip { display: inline-block; padding: 0 8px; border-radius: 999px; border: 1px solid var(--border); font-size: 12px; }
.arms { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 14px; }
.arm { border: 1px solid var(--border); border-radius: 10px; padding: 12px; min-width: 0; }
.arm.baseline { border-top: 3px solid var(--muted); } .arm.mitigated { border-top: 3px solid var(--accent); }
pre { white-space: pre-wrap; word-break: break-word; margin: 6px 0 0; font: 12.5px/1.5 ui-monospace, 'SF Mono', Consolas, monospace; }
.output { font: inherit; white-space: pre-wrap; }
details { margin: 8px 0; } summary { cursor: pointer; color: var(--muted); }
.metrics { margin-top: 10px; font-size: 12px; color: var(--muted); }
.scores { margin-top: 8px; font-size: 12.5px; } .scores td { padding: 1px 8px 1px 0; }
.critiques { margin: 8px 0 0; padding-left: 18px; font-size: 12.5px; color: var(--text); }
.diff { margin-top: 14px; padding: 12px; border: 1px dashed var(--border); border-radius: 10px; white-space: pre-wrap; }
ins { background: var(--ins); text-decoration: none; } del { background: var(--del); }
.note { padding: 10px 12px; border-left: 3px solid var(--accent); background: var(--bg); white-space: pre-wrap; margin-bottom: 14px; }
img { max-width: 100%; border-radius: 8px; }
table.index { border-collapse: collapse; width: 100%; background: var(--surface); border: 1px solid var(--border); border-radius: 10px; }
table.index td, table.index th { padding: 6px 10px; border-bottom: 1px solid var(--border); text-align: left; font-size: 13px; }
`;

function armHtml(run: RunRecord, index: number, scores: Record<string, number | string | null> | undefined): string {
  const arm = run.arms[index]!;
  const role = index === 0 ? 'baseline' : 'mitigated';
  const turns = arm.request.messages
    .map((t) => `<p class="muted">${t.role === 'user' ? 'User' : 'Assistant'}</p><pre>${escapeHtml(t.text)}</pre>`)
    .join('');
  const images = run.images
    .filter((image) => image.armIndex === index)
    .map((image) => `<img alt="Generated image" src="data:${image.mimeType};base64,${image.base64.replace(/[^A-Za-z0-9+/=]/g, '')}">`)
    .join('');
  const m = arm.metrics;
  const metrics = [
    m.inputTokens !== null ? `${m.inputTokens} in` : null,
    m.outputTokens !== null ? `${m.outputTokens} out tokens` : null,
    m.ttftMs !== null ? `${Math.round(m.ttftMs)} ms to first token` : null,
    m.totalMs !== null ? `${Math.round(m.totalMs)} ms total` : null,
    m.costUsd !== null ? `$${m.costUsd.toFixed(5)}` : null,
  ].filter(Boolean);
  const scoreRows = scores
    ? Object.entries(scores)
        .map(([name, value]) => `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(String(value ?? '—'))}</td></tr>`)
        .join('')
    : '';
  const critiques = run.scores
    .filter((score) => score.armIndex === index && score.kind === 'judge' && score.error === null && score.feedback.trim() !== '')
    .map((score) => `<li><strong>${escapeHtml(score.scorer)}</strong>: ${escapeHtml(score.feedback)}</li>`)
    .join('');
  return `<article class="arm ${role}">
<h3>${escapeHtml(arm.label)} <span class="chip">${role}</span></h3>
<div class="muted">${escapeHtml(arm.technique)} · ${escapeHtml(arm.modelId)} · ${escapeHtml(arm.status)}</div>
<details><summary>Prompt sent</summary>${arm.request.system ? `<p class="muted">System</p><pre>${escapeHtml(arm.request.system)}</pre>` : ''}${turns}</details>
${images}<pre class="output">${arm.text ? escapeHtml(arm.text) : '<span class="muted">No output.</span>'}</pre>
${arm.error ? `<p><strong>Error:</strong> ${escapeHtml(arm.error.message)}</p>` : ''}
${scoreRows ? `<table class="scores">${scoreRows}</table>` : ''}
${critiques ? `<ul class="critiques" aria-label="Critiques">${critiques}</ul>` : ''}
<div class="metrics">${escapeHtml(metrics.join(' · '))}</div>
</article>`;
}

function diffHtml(from: string, to: string): string {
  return diffWords(from, to)
    .map((part) => (part.added ? `<ins>${escapeHtml(part.value)}</ins>` : part.removed ? `<del>${escapeHtml(part.value)}</del>` : escapeHtml(part.value)))
    .join('');
}

function runHtml(run: RunRecord, scores: ReturnType<ScoreLookup> | undefined): string {
  const facts = [
    new Date(run.startedAt).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC',
    `<span class="chip">${escapeHtml(run.status)}</span>`,
    run.labId ? `Lab ${escapeHtml(run.labId)}` : '',
    ...run.tags.map((tag) => `<span class="chip">#${escapeHtml(tag)}</span>`),
    run.starred ? '★ starred' : '',
  ].filter(Boolean);
  const baseline = run.arms[0];
  const diffs =
    baseline && run.arms.length > 1
      ? run.arms
          .slice(1)
          .filter((arm) => arm.text && baseline.text)
          .map(
            (arm) =>
              `<details class="diff-block"><summary>Word differences: ${escapeHtml(baseline.label)} → ${escapeHtml(arm.label)}</summary><div class="diff">${diffHtml(baseline.text, arm.text)}</div></details>`,
          )
          .join('')
      : '';
  return `<section class="run" id="run-${escapeHtml(run.id)}">
<h2>${escapeHtml(run.title)}</h2>
<div class="facts">${facts.join(' ')}</div>
${run.note.trim() ? `<div class="note">${escapeHtml(run.note)}</div>` : ''}
<div class="arms">${run.arms.map((_, index) => armHtml(run, index, scores?.get(run.id)?.get(index))).join('')}</div>
${diffs}
</section>`;
}

export function renderHtml(bundle: Bundle, title: string, scores?: ScoreLookup): string {
  const lookup = scores?.(bundle.runs.map((r) => r.id));
  const index =
    bundle.runs.length > 1
      ? `<table class="index"><thead><tr><th>Run</th><th>Started (UTC)</th><th>Status</th><th>Models</th></tr></thead><tbody>${bundle.runs
          .map(
            (run) =>
              `<tr><td><a href="#run-${escapeHtml(run.id)}">${escapeHtml(run.title)}</a></td><td>${escapeHtml(new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' '))}</td><td>${escapeHtml(run.status)}</td><td>${escapeHtml([...new Set(run.arms.map((a) => a.modelId))].join(', '))}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p class="muted">${bundle.runs.length} run${bundle.runs.length === 1 ? '' : 's'} · exported ${escapeHtml(new Date(bundle.exportedAt).toISOString())} from Parallax ${escapeHtml(bundle.app.version)}</p></header>
${index}
${bundle.runs.map((run) => runHtml(run, lookup)).join('\n')}
</body>
</html>
`;
}
