/**
 * A single self-contained HTML report: inline CSS, images as data: URIs, a strict CSP in a
 * meta tag (no script, no network), and every piece of text a person or a pack supplied
 * HTML-escaped. Answers are rendered from their Markdown by the app's rules
 * (shared/markdown-safe.ts: raw HTML shown as text, images never loaded, links inert, an
 * allow-list of tags and attributes, no script, no event handler). Each arm shows its mitigation
 * steps as a timeline (./steps.ts) and every name is the friendly one (shared/labels.ts).
 */
import { diffLines, diffWords } from 'diff';
import { describeInvisible, INVISIBLE_CHARS, INVISIBLE_RE } from '../../../shared/invisibles';
import { armName, armRole, armStatusLabel, costText, labLabel, msText, runStatusLabel, scoreName, shortModelName, stopReasonLabel, techniqueLabel, tokensText } from '../../../shared/labels';
import { reportMarkdownHtml } from '../../../shared/markdown-safe';
import type { Bundle, BundleHeader, RunRecord } from './bundle';
import type { ScoreLookup } from './csv';
import { scoreVerdict, type ReportLabels } from './markdown';
import { firstDraft, stepViews, stoppedByText, type StepBlock } from './steps';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escaped text for element content, with bidi and zero-width characters shown as labels. */
function esc(text: string): string {
  return escapeHtml(text).replace(
    INVISIBLE_RE,
    (char) => `<span class="inv" title="${escapeHtml(describeInvisible(char))}">${escapeHtml(INVISIBLE_CHARS[char]?.label ?? '?')}</span>`,
  );
}

const STYLE = `
.inv { display: inline-block; padding: 0 3px; margin: 0 1px; border: 1px solid var(--border); border-radius: 3px; font: 10px/1.4 ui-monospace, monospace; color: var(--muted); unicode-bidi: isolate; }
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
.output { margin-top: 10px; }
.markdown { overflow-wrap: anywhere; } .markdown > :first-child { margin-top: 0; } .markdown > :last-child { margin-bottom: 0; }
.markdown p, .markdown ul, .markdown ol, .markdown blockquote, .markdown table { margin: 0 0 8px; }
.markdown pre { padding: 8px 10px; background: var(--bg); border-radius: 6px; overflow-x: auto; }
.markdown code { font: 12.5px ui-monospace, 'SF Mono', Consolas, monospace; background: var(--bg); padding: 0 3px; border-radius: 3px; }
.markdown blockquote { border-left: 3px solid var(--border); padding-left: 10px; color: var(--muted); }
.markdown table { border-collapse: collapse; } .markdown th, .markdown td { border: 1px solid var(--border); padding: 3px 6px; }
.md-link { text-decoration: underline dotted; color: var(--accent); } .md-link--blocked { color: var(--muted); }
.md-blocked { display: inline-block; padding: 0 6px; border: 1px dashed var(--border); border-radius: 4px; color: var(--muted); font-size: 12px; }
.md-raw-html { color: var(--muted); }
.steps { margin: 10px 0; padding: 8px 10px; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); }
.steps h4 { margin: 0 0 6px; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.timeline { list-style: none; margin: 0; padding: 0; font-size: 12.5px; }
.step { padding: 4px 0; border-top: 1px solid var(--border); } .step:first-child { border-top: 0; }
.step details { margin: 0; } .step summary { color: var(--text); }
.step-n { display: inline-block; min-width: 1.4em; color: var(--muted); } .step-name { font-weight: 600; }
.step-status { font-size: 11px; } .step--failed .step-status, .step--stopped .step-status { border-color: #dc2626; color: #dc2626; }
.step-figures { font-size: 11.5px; } .step-summary, .step-error { margin: 2px 0 0 1.4em; } .step-error { color: #dc2626; }
.step-detail { margin: 6px 0 4px 1.4em; } .step-line { margin: 4px 0; } .step-list { margin: 2px 0 6px; padding-left: 18px; }
.step-prose { margin: 2px 0 6px; white-space: pre-wrap; }
.step-answer { padding: 6px 8px; border: 1px solid var(--border); border-radius: 6px; background: var(--surface); }
.stopped { margin: 6px 0 0; color: #dc2626; font-size: 12.5px; }
.answer-label { margin: 10px 0 0; font-size: 12px; }
.scores th { font-weight: normal; text-align: left; color: var(--muted); padding: 1px 10px 1px 0; }
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

function blockHtml(block: StepBlock): string {
  switch (block.type) {
    case 'line':
      return `<p class="step-line"><span class="muted">${esc(block.label)}:</span> ${esc(block.text)}</p>`;
    case 'list':
      return `<p class="step-line muted">${esc(block.label)}:</p><ul class="step-list">${block.items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`;
    case 'text':
      return `<p class="step-line muted">${esc(block.label)}</p><pre>${esc(block.text)}</pre>`;
    case 'prose':
      return `<p class="step-line muted">${esc(block.label)}</p><p class="step-prose">${esc(block.text)}</p>`;
    case 'answer':
      return `<p class="step-line muted">${esc(block.label)}</p><div class="markdown step-answer">${reportMarkdownHtml(block.text)}</div>`;
  }
}

function stepsHtml(arm: RunRecord['arms'][number]): string {
  const views = stepViews(arm);
  if (views.length === 0) return '';
  const rows = views.map((v) => {
    const figures = [v.time, v.tokens ? `${v.tokens} tokens` : null, v.cost].filter(Boolean);
    const head = `<span class="step-n">${v.n}</span> <span class="step-name">${esc(v.name)}</span> <span class="chip step-status step-status--${v.status}">${esc(v.statusName)}</span>${figures.length ? ` <span class="muted step-figures">${esc(figures.join(' · '))}</span>` : ''}`;
    const summary = v.summary ? `<div class="muted step-summary">${esc(v.summary)}</div>` : '';
    const error = v.error ? `<div class="step-error">Error: ${esc(v.error)}</div>` : '';
    const body = v.blocks.map(blockHtml).join('');
    return `<li class="step step--${v.status}">${body ? `<details><summary>${head}</summary>${summary}${error}<div class="step-detail">${body}</div></details>` : `<div class="step-head">${head}</div>${summary}${error}`}</li>`;
  });
  const stopped = stoppedByText(arm);
  return `<section class="steps" aria-label="Mitigation steps"><h4>Mitigation steps</h4><ol class="timeline">${rows.join('')}</ol>${stopped ? `<p class="stopped"><strong>Stopped:</strong> ${esc(stopped)}</p>` : ''}</section>`;
}

function scoresHtml(run: RunRecord, index: number): string {
  const rows = run.scores
    .filter((score) => score.armIndex === index)
    .map((score) => `<tr><th scope="row">${esc(scoreName(score.scorer, score.otherArmIndex))}</th><td>${esc(scoreVerdict(score))}</td></tr>`);
  const rating = run.armRatings.find((r) => r.armIndex === index);
  if (rating && (rating.thumb !== null || rating.stars !== null)) {
    const parts = [rating.thumb === null ? null : rating.thumb === 'up' ? 'Thumbs up' : 'Thumbs down', rating.stars === null ? null : `${rating.stars}/5 stars`].filter(Boolean);
    rows.push(`<tr><th scope="row">Your rating</th><td>${esc(parts.join(', '))}</td></tr>`);
  }
  return rows.length ? `<table class="scores" aria-label="Scores">${rows.join('')}</table>` : '';
}

function armHtml(run: RunRecord, index: number, labels: ReportLabels): string {
  const arm = run.arms[index]!;
  const role = armRole(index, arm.technique);
  const turns = arm.request.messages
    .map((t) => `<p class="muted">${t.role === 'user' ? 'User' : 'Assistant'}</p><pre>${esc(t.text)}</pre>`)
    .join('');
  const images = run.images
    .filter((image) => image.armIndex === index)
    .map((image) =>
      image.base64 !== null && image.mimeType !== null
        ? `<img alt="Generated image" src="data:${image.mimeType};base64,${image.base64.replace(/[^A-Za-z0-9+/=]/g, '')}">`
        : `<p class="sample-missing">${image.status === 'filtered' ? 'Filtered' : 'No image'}: ${esc(image.reason ?? 'no image came back')}</p>`,
    )
    .join('');
  const m = arm.metrics;
  const stop = stopReasonLabel(arm.stopReason);
  const metrics = [
    tokensText(m.inputTokens, m.outputTokens)?.concat(' tokens'),
    m.ttftMs !== null ? `${msText(m.ttftMs)} to first token` : null,
    m.totalMs !== null ? `${msText(m.totalMs)} total` : null,
    costText(m.costUsd),
    stop ? `Stop: ${stop}` : null,
  ].filter(Boolean);
  const critiques = run.scores
    .filter((score) => score.armIndex === index && score.kind === 'judge' && score.error === null && score.feedback.trim() !== '')
    .map((score) => `<li><strong>${esc(scoreName(score.scorer, score.otherArmIndex))}</strong>: ${esc(score.feedback)}</li>`)
    .join('');
  const technique = index === 0 ? null : techniqueLabel(arm.technique, labels.techniques);
  const draft = firstDraft(arm);
  const answer = arm.text ? `<div class="output markdown">${reportMarkdownHtml(arm.text)}</div>` : '<p class="output muted">No output.</p>';
  return `<article class="arm ${role.toLowerCase()}">
<h3>${esc(armName(index, arm.label))}${index === 0 ? '' : ` <span class="chip">${role}</span>`}</h3>
<div class="muted">${technique ? `${esc(technique)} · ` : ''}<span class="model" title="${escapeHtml(arm.modelId)}">${esc(shortModelName(arm.modelId))}</span> · ${esc(armStatusLabel(arm.status))}</div>
<details><summary>Prompt sent</summary><p class="muted">Model: <code>${esc(arm.modelId)}</code></p>${arm.request.system ? `<p class="muted">System</p><pre>${esc(arm.request.system)}</pre>` : ''}${turns}</details>
${stepsHtml(arm)}
${draft !== null ? `<details class="draft"><summary>First draft (before the steps revised it)</summary><div class="markdown">${reportMarkdownHtml(draft)}</div></details>` : ''}
${images}${draft !== null ? '<p class="muted answer-label">Final answer</p>' : ''}${answer}
${arm.error ? `<p><strong>Error:</strong> ${esc(arm.error.message)}</p>` : ''}
${scoresHtml(run, index)}
${critiques ? `<ul class="critiques" aria-label="Critiques">${critiques}</ul>` : ''}
<div class="metrics">${esc(metrics.join(' · '))}</div>
</article>`;
}

/** Past this many characters (both texts together) the report compares lines, not words. */
export const WORD_DIFF_LIMIT = 40_000;
/** Past this, no diff at all (a line diff of megabytes still costs seconds). */
export const LINE_DIFF_LIMIT = 400_000;

function diffHtml(from: string, to: string): { html: string; by: 'word' | 'line' } | null {
  const size = from.length + to.length;
  if (size > LINE_DIFF_LIMIT) return null;
  const by = size > WORD_DIFF_LIMIT ? 'line' : 'word';
  const parts = by === 'word' ? diffWords(from, to) : diffLines(from, to);
  return {
    by,
    html: parts.map((part) => (part.added ? `<ins>${esc(part.value)}</ins>` : part.removed ? `<del>${esc(part.value)}</del>` : esc(part.value))).join(''),
  };
}

export interface HtmlOptions {
  /** Word differences between the baseline and each arm (costly: asked for, or a small report). */
  diffs: boolean;
}

/** Reports of up to this many runs show word differences unless told otherwise. */
export const AUTO_DIFF_RUNS = 25;

export function runHtml(run: RunRecord, _scores?: ReturnType<ScoreLookup>, options: HtmlOptions = { diffs: true }, labels: ReportLabels = {}): string {
  const facts = [
    `${new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `<span class="chip">${esc(runStatusLabel(run.status))}</span>`,
    run.labId ? `Lab: ${esc(labLabel(run.labId))}` : '',
    ...run.tags.map((tag) => `<span class="chip">#${esc(tag)}</span>`),
    run.starred ? '★ starred' : '',
  ].filter(Boolean);
  const baseline = run.arms[0];
  const diffs =
    options.diffs && baseline && run.arms.length > 1
      ? run.arms
          .slice(1)
          .filter((arm) => arm.text && baseline.text)
          .map((arm) => {
            const diff = diffHtml(baseline.text, arm.text);
            const names = `${esc(armName(0, baseline.label))} → ${esc(armName(arm.index, arm.label))}`;
            if (!diff) return `<p class="muted diff-block">The answers are too long to compare in this report (${names}); open the run in Parallax to compare them.</p>`;
            return `<details class="diff-block"><summary>${diff.by === 'word' ? 'Word' : 'Line'} differences: ${names}</summary><div class="diff">${diff.html}</div></details>`;
          })
          .join('')
      : '';
  return `<section class="run" id="run-${escapeHtml(run.id)}">
<h2>${esc(run.title)}</h2>
<div class="facts">${facts.join(' ')}</div>
${run.note.trim() ? `<div class="note">${esc(run.note)}</div>` : ''}
<div class="arms">${run.arms.map((_, index) => armHtml(run, index, labels)).join('')}</div>
${diffs}
</section>`;
}

/** One row of the report's index. */
export interface IndexRow {
  id: string;
  title: string;
  startedAt: number;
  status: string;
  models: string[];
}

export function htmlStart(header: BundleHeader, title: string, count: number): string {
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
<header><h1>${esc(title)}</h1><p class="muted">${count} run${count === 1 ? '' : 's'} · exported ${esc(new Date(header.exportedAt).toISOString().slice(0, 16).replace('T', ' '))} UTC from Parallax ${esc(header.app.version)}</p></header>
`;
}

export const HTML_INDEX_START = '<table class="index"><thead><tr><th>Run</th><th>Started (UTC)</th><th>Status</th><th>Models</th></tr></thead><tbody>';
export const HTML_INDEX_END = '</tbody></table>\n';
export const HTML_END = '</body>\n</html>\n';

export function htmlIndexRow(run: IndexRow): string {
  const models = [...new Set(run.models)].map((id) => `<span title="${escapeHtml(id)}">${esc(shortModelName(id))}</span>`);
  return `<tr><td><a href="#run-${escapeHtml(run.id)}">${esc(run.title)}</a></td><td>${esc(new Date(run.startedAt).toISOString().slice(0, 16).replace('T', ' '))}</td><td>${esc(runStatusLabel(run.status))}</td><td>${models.join(', ')}</td></tr>`;
}

export function renderHtml(bundle: Bundle, title: string, _scores?: ScoreLookup, options?: HtmlOptions, labels: ReportLabels = {}): string {
  const count = bundle.runs.length;
  const diffs = options ?? { diffs: count <= AUTO_DIFF_RUNS };
  const index =
    count > 1
      ? HTML_INDEX_START +
        bundle.runs.map((run) => htmlIndexRow({ id: run.id, title: run.title, startedAt: run.startedAt, status: run.status, models: run.arms.map((a) => a.modelId) })).join('') +
        HTML_INDEX_END
      : '';
  return `${htmlStart(bundle, title, count)}${index}${bundle.runs.map((run) => `${runHtml(run, undefined, diffs, labels)}\n`).join('')}${HTML_END}`;
}
