/**
 * A batch's HTML report (issue 13): one self-contained file with no script (strict CSP in a
 * meta tag): the batch's facts with friendly score labels, per-arm statistics, each mitigated
 * arm's paired effect in a sentence, charts as static SVG (shared/charts.ts), and the matrix with
 * every answer's Markdown rendered safely: raw HTML escaped, images never loaded, links inert
 * (the same rules and allow-list as the app's view: shared/markdown-safe.ts). Arms are named as
 * everywhere (shared/labels.ts): "Baseline", "Arm 2 · label".
 */
import type { BatchDetail, BatchStats } from '../../../shared/batch';
import { distributionChart, scatterChart, svgToString } from '../../../shared/charts';
import { armName, armRef, scoreLabel, shortModelName } from '../../../shared/labels';
import { reportMarkdownHtml } from '../../../shared/markdown-safe';
import { scorerInfo } from '../../../shared/scores/scorers';
import { formatStat } from '../../../shared/stats';
import type { RunDetail } from '../../../shared/domain';
import { REPORT_CSP, escapeHtml as esc } from '../export/html';

/** Model output as safe HTML: Markdown rendered by the app's rules (shared/markdown-safe.ts), nothing live. */
export function safeMarkdownHtml(text: string): string {
  return reportMarkdownHtml(text);
}

const STYLE = `
:root { color-scheme: light dark; --bg:#f6f7f9; --surface:#fff; --border:#e1e4ea; --text:#1b1f27; --muted:#5f6878; --accent:#4f46e5; }
@media (prefers-color-scheme: dark) { :root { --bg:#14161b; --surface:#1c1f26; --border:#2c313b; --text:#e7e9ee; --muted:#a2a9b7; --accent:#8b85ff; } }
body { margin: 0; padding: 32px; font: 14px/1.55 system-ui, sans-serif; background: var(--bg); color: var(--text); }
.muted { color: var(--muted); } section { margin: 24px 0; padding: 18px; background: var(--surface); border: 1px solid var(--border); border-radius: 12px; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid var(--border); padding: 6px 8px; text-align: left; vertical-align: top; font-size: 13px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } .answer p { margin: 0 0 6px; } .failed { color: #dc2626; } .link { text-decoration: underline dotted; }
pre, code { white-space: pre-wrap; font: 12.5px ui-monospace, monospace; }
.md-link { text-decoration: underline dotted; } .md-blocked, .md-raw-html { color: var(--muted); }
.inv { display: inline-block; padding: 0 3px; border: 1px solid var(--border); border-radius: 3px; font: 10px/1.4 ui-monospace, monospace; color: var(--muted); }
.charts svg { max-width: 100%; height: auto; }
`;

export function batchReportHtml(detail: BatchDetail, stats: BatchStats, runs: ReadonlyMap<string, RunDetail>): string {
  const scorers = [...new Set(stats.arms.flatMap((a) => a.scores.map((s) => s.scorer)))];
  const out: string[] = [];
  out.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><title>${esc(detail.name)} — Parallax batch</title><style>${STYLE}</style></head><body>`);
  out.push(`<h1>${esc(detail.name)}</h1>`);
  const firstRun = detail.cells.find((c) => c.runId && runs.has(c.runId));
  const run = firstRun ? runs.get(firstRun.runId!) : undefined;
  const arms = detail.armLabels.map((label, i) => {
    const model = run?.arms[i]?.modelId;
    return `<li><strong>${esc(armName(i, label))}</strong>${model ? ` — <span title="${esc(model)}">${esc(shortModelName(model))}</span>` : ''}</li>`;
  });
  out.push(
    `<p class="muted">${esc(detail.datasetName ?? 'No dataset')} · ${detail.rowCount} rows × ${detail.armLabels.length} arms × ${detail.repeats} repeat${detail.repeats === 1 ? '' : 's'} · ${detail.counts.completed} of ${detail.counts.total} cells done${detail.counts.failed ? `, ${detail.counts.failed} failed` : ''}</p>`,
    `<ul>${arms.join('')}</ul>`,
    `<p class="muted">Arms are named as in the app: the first is the Baseline, the others Arm 2, Arm 3… in column order. Rows count from 1.</p>`,
  );
  out.push('<section><h2>Statistics</h2><table><thead><tr><th>Arm</th><th>Score</th><th>Mean</th><th>Median</th><th>95 % interval</th><th>n</th></tr></thead><tbody>');
  for (const arm of stats.arms) {
    for (const s of arm.scores) {
      const cells =
        s.kind === 'pass'
          ? `<td colspan="2">pass rate ${s.pass?.rate === null || !s.pass ? '—' : `${Math.round(s.pass.rate * 100)} %`}</td><td>${s.pass?.interval ? `${Math.round(s.pass.interval.low * 100)} % to ${Math.round(s.pass.interval.high * 100)} % (Wilson)` : '—'}</td><td>${s.pass?.n ?? 0}</td>`
          : `<td>${s.numeric?.mean == null ? '—' : formatStat(s.numeric.mean)}</td><td>${s.numeric?.median == null ? '—' : formatStat(s.numeric.median)}</td><td>${s.numeric?.interval ? `${formatStat(s.numeric.interval.low)} to ${formatStat(s.numeric.interval.high)} (bootstrap)` : '—'}</td><td>${s.numeric?.n ?? 0}</td>`;
      out.push(`<tr><td>${esc(armName(arm.arm, arm.label))}</td><td>${esc(scoreLabel(s.scorer))}</td>${cells}</tr>`);
    }
  }
  out.push('</tbody></table>');
  const sentences = stats.arms.flatMap((a) => a.effects.map((e) => `<li>${esc(e.sentence)}</li>`));
  if (sentences.length) out.push(`<h3>What the mitigations changed</h3><ul>${sentences.join('')}</ul>`);
  out.push('<div class="charts">');
  for (const id of scorers) {
    if (!stats.arms.some((a) => a.scores.find((s) => s.scorer === id)?.kind === 'numeric')) continue;
    out.push(svgToString(distributionChart(stats.arms.map((a) => ({ label: armRef(a.arm), values: a.scores.find((s) => s.scorer === id)?.values ?? [] })), { title: `${scorerInfo(id).label} per arm` })));
  }
  for (const arm of stats.arms.slice(1)) {
    for (const e of arm.effects) {
      if (e.kind === 'numeric' && e.pairs.length) out.push(svgToString(scatterChart(e.pairs, { title: `${e.label}: ${armName(arm.arm, arm.label)} vs Baseline`, xLabel: 'Baseline', yLabel: armRef(arm.arm) })));
    }
  }
  out.push('</div></section>');
  out.push(`<section><h2>Answers</h2><table><thead><tr><th>Row</th>${detail.armLabels.map((l, i) => `<th>${esc(armName(i, l))}</th>`).join('')}</tr></thead><tbody>`);
  const byKey = new Map(detail.cells.map((c) => [`${c.row}:${c.repeat}:${c.arm}`, c]));
  for (const row of detail.rows) {
    for (let repeat = 0; repeat < detail.repeats; repeat += 1) {
      const head = `Row ${row.row + 1}${detail.repeats > 1 ? `, repeat ${repeat + 1}` : ''}<br><span class="muted">${esc(row.variables.map((v) => `${v.name} = ${v.value}`).join('; '))}</span>`;
      const tds = detail.armLabels.map((_, arm) => {
        const cell = byKey.get(`${row.row}:${repeat}:${arm}`);
        if (!cell) return '<td>—</td>';
        if (cell.status === 'failed') return `<td class="failed">Failed: ${esc(cell.error ?? '')}</td>`;
        const text = cell.runId ? (runs.get(cell.runId)?.arms[arm]?.text ?? '') : '';
        const scores = cell.scores.filter((s) => s.value !== null).map((s) => `${esc(scorerInfo(s.scorer).label)} ${esc(scorerInfo(s.scorer).format(s.value!))}`);
        return `<td><div class="answer">${cell.status === 'completed' ? safeMarkdownHtml(text) : esc(cell.status)}</div>${scores.length ? `<p class="muted">${scores.join(' · ')}</p>` : ''}</td>`;
      });
      out.push(`<tr><td>${head}</td>${tds.join('')}</tr>`);
    }
  }
  out.push('</tbody></table></section></body></html>');
  return out.join('\n');
}
