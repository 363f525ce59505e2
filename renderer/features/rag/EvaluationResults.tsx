/**
 * An evaluation's results: averages per arm with the change against the baseline, each metric's
 * scale in words, then every question with each arm's answer and scores. Answers are model output
 * and are shown as text only. CSV and HTML through rag:export-evaluation.
 */
import { Fragment, useState } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { deltaDirection, EVAL_METRIC_INFO, formatEvalAverage, formatEvalCell, formatEvalDelta } from '../../../shared/rag/eval-format';
import { EVAL_METRICS, QA_KIND_NAMES, type EvalResult, type EvalRow } from '../../../shared/rag/qa';
import { api, errorMessage } from '../../lib/api';

function seconds(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function MetricHeader({ metric }: { metric: (typeof EVAL_METRICS)[number] }) {
  const info = EVAL_METRIC_INFO[metric];
  return (
    <th scope="col" title={info.scale}>
      {info.name}
    </th>
  );
}

function Answer({ row }: { row: EvalRow }) {
  const long = row.answer.length > 220;
  return (
    <td className="eval-answer">
      {row.answer.trim() === '' ? (
        <span className="muted">(no answer)</span>
      ) : long ? (
        <details>
          <summary>{row.answer.slice(0, 200)}…</summary>
          <p className="eval-answer__full">{row.answer}</p>
        </details>
      ) : (
        <p className="eval-answer__full">{row.answer}</p>
      )}
      {row.asked && (
        <p className="eval-answer__asked">
          <span className="muted">Asked: </span>
          {row.asked}
        </p>
      )}
      {row.sources.length > 0 && <p className="muted eval-answer__sources">Sources: {[...new Set(row.sources)].join(', ')}</p>}
      {row.notes.length > 0 && <p className="muted eval-answer__notes">{row.notes.join(' · ')}</p>}
    </td>
  );
}

export function EvaluationResults({ evaluationId, result }: { evaluationId: string; result: EvalResult }) {
  const [exported, setExported] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const questions = [...new Set(result.rows.map((row) => row.itemId))];

  async function exportAs(format: 'csv' | 'html') {
    setError(null);
    try {
      const { path } = await api.call('rag:export-evaluation', { evaluationId, format });
      if (path) setExported(`Saved ${format === 'csv' ? 'the table as CSV' : 'the HTML report'} to ${path}.`);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <section className="eval-results" aria-label="Evaluation results">
      <header className="eval-results__header">
        <div>
          <h2>{result.setName}</h2>
          <p className="muted">
            {questions.length} question{questions.length === 1 ? '' : 's'} × {result.arms.length} arms from “{result.corpusName}” · answered by {result.modelId}, judged by {result.judgeModelId} · {seconds(result.totalMs)}
          </p>
        </div>
        <div className="eval-results__actions">
          <button type="button" className="button" onClick={() => void exportAs('csv')}>
            <Icon name="download" size={16} /> Export CSV…
          </button>
          <button type="button" className="button" onClick={() => void exportAs('html')}>
            <Icon name="download" size={16} /> HTML report…
          </button>
        </div>
      </header>
      {exported && (
        <p className="corpus-added" role="status">
          {exported}
        </p>
      )}
      {error && <ErrorBanner message={error} />}

      <table className="eval-table eval-averages">
        <caption className="section-title">Averages per arm (change against the baseline)</caption>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            {EVAL_METRICS.map((metric) => (
              <MetricHeader key={metric} metric={metric} />
            ))}
          </tr>
        </thead>
        <tbody>
          {result.arms.map((arm) => (
            <tr key={arm.armIndex} aria-label={arm.label}>
              <th scope="row">{arm.label}</th>
              {EVAL_METRICS.map((metric) => {
                const delta = formatEvalDelta(metric, arm.deltas[metric]);
                return (
                  <td key={metric} data-metric={metric}>
                    <span className="eval-average">{formatEvalAverage(metric, arm.averages[metric])}</span>
                    {delta && <span className={`eval-delta eval-delta--${deltaDirection(arm.deltas[metric])}`}>{delta}</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="eval-scales">
        {EVAL_METRICS.map((metric) => (
          <div key={metric}>
            <dt>{EVAL_METRIC_INFO[metric].name}</dt>
            <dd>{EVAL_METRIC_INFO[metric].scale}</dd>
          </div>
        ))}
      </dl>

      <table className="eval-table eval-rows">
        <caption className="section-title">Every answer</caption>
        <thead>
          <tr>
            <th scope="col">Arm</th>
            <th scope="col">Answer</th>
            {EVAL_METRICS.map((metric) => (
              <MetricHeader key={metric} metric={metric} />
            ))}
          </tr>
        </thead>
        <tbody>
          {questions.map((itemId) => {
            const rows = result.rows.filter((row) => row.itemId === itemId).sort((a, b) => a.armIndex - b.armIndex);
            const first = rows[0]!;
            return (
              <Fragment key={itemId}>
                <tr className="eval-question">
                  <th scope="rowgroup" colSpan={2 + EVAL_METRICS.length}>
                    {first.question} <span className="chip eval-kind">{QA_KIND_NAMES[first.kind]}</span>
                  </th>
                </tr>
                {rows.map((row) => (
                  <tr key={row.armIndex} data-item={row.itemId} data-arm={row.armLabel}>
                    <th scope="row">{row.armLabel}</th>
                    <Answer row={row} />
                    {EVAL_METRICS.map((metric) => (
                      <td key={metric} data-metric={metric} className={`eval-cell eval-cell--${row.scores[metric] === null ? 'none' : 'scored'}`}>
                        {formatEvalCell(metric, row.scores[metric])}
                      </td>
                    ))}
                  </tr>
                ))}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
