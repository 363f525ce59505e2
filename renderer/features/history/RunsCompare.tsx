/**
 * Run against run (issue 13): two runs from History, arm by arm — what changed in the
 * configuration (prompts word by word in the diff worker, settings as before → after), how each
 * arm's answer changed, and the score deltas side by side. The derivations are shared/runs/compare.ts.
 */
import { useEffect, useMemo, useState } from 'react';
import type { HistoryRun } from '../../../shared/contract/history';
import { diffConfigs, scoreDeltas, sideOfRun, type ArmPair, type ArmScoreDeltas, type FieldChange } from '../../../shared/runs/compare';
import type { Score } from '../../../shared/scores/types';
import { armName } from '../../../shared/labels';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { DiffView } from '../../components/run/DiffView';
import { api } from '../../lib/api';
import { useAppStore } from '../../stores';
import { fullTime, StatusChip } from './format';

const BEFORE = 'the earlier run';
const AFTER = 'the later run';

interface Loaded {
  runs: [HistoryRun, HistoryRun];
  scores: [Score[], Score[]];
}

export function RunsCompare(props: { ids: [string, string]; onClose(): void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const techniques = useAppStore((s) => s.techniques);

  useEffect(() => {
    let live = true;
    const [a, b] = props.ids;
    Promise.all([api.call('history:get', { id: a }), api.call('history:get', { id: b }), api.call('scores:get', { runId: a }).catch(() => null), api.call('scores:get', { runId: b }).catch(() => null)]).then(
      ([ra, rb, sa, sb]) => {
        if (!live) return;
        // the earlier run is "before", whichever was ticked first
        const swap = ra.run.startedAt > rb.run.startedAt;
        const runs: [HistoryRun, HistoryRun] = swap ? [rb, ra] : [ra, rb];
        const scores: [Score[], Score[]] = swap ? [sb?.scores ?? [], sa?.scores ?? []] : [sa?.scores ?? [], sb?.scores ?? []];
        setLoaded({ runs, scores });
      },
      (caught: unknown) => live && setError(caught instanceof Error ? caught.message : String(caught)),
    );
    return () => {
      live = false;
    };
  }, [props.ids]);

  const diff = useMemo(() => (loaded ? diffConfigs(sideOfRun(loaded.runs[0].run), sideOfRun(loaded.runs[1].run), techniques) : null), [loaded, techniques]);
  const deltas = useMemo(() => (loaded && diff ? scoreDeltas(diff.arms.map((a) => a.pair), loaded.scores[0], loaded.scores[1]) : []), [loaded, diff]);

  return (
    <section className="hx-compare" aria-label="Run against run">
      <header className="hx-compare__bar">
        <button type="button" className="button button--small" onClick={props.onClose}>
          <Icon name="back" size={14} /> Back to the list
        </button>
        <h2 className="rx__title">Run against run</h2>
      </header>
      {error && <ErrorBanner message={error} />}
      {!loaded || !diff ? (
        !error && (
          <div className="hx-detail__loading" role="status">
            Opening both runs…
          </div>
        )
      ) : (
        <div className="rx">
          <div className="rx__runs">
            {loaded.runs.map((run, index) => (
              <div key={run.run.id} className={`rx__run rx__run--${index === 0 ? 'before' : 'after'}`}>
                <span className="rx__which">{index === 0 ? 'Earlier run' : 'Later run'}</span>
                <strong>{run.run.title}</strong>
                <span className="muted rx__run-facts">
                  <StatusChip status={run.run.status} />
                  <span>{fullTime(run.run.startedAt)}</span>
                  <span>{run.run.arms.length} arms</span>
                </span>
              </div>
            ))}
          </div>

          <p className="rx__summary" role="status" aria-label="Configuration summary">
            {diff.changed ? summaryOf(diff.arms.map((a) => ({ pair: a.pair, count: a.changes.length })), diff.variables.length) : 'Both runs used the same configuration: any difference in the answers is the model’s own variation.'}
          </p>

          {diff.variables.length > 0 && (
            <section className="rx__variables" aria-label="Changed variables">
              <h3>Variables</h3>
              <ul className="rx__changes">
                {diff.variables.map((change) => (
                  <ValueChange key={change.field} change={change} />
                ))}
              </ul>
            </section>
          )}

          <div className="rx__grid" style={{ gridTemplateColumns: `repeat(${diff.arms.length}, minmax(0, 1fr))` }}>
            {diff.arms.map(({ pair, changes }, index) => (
              <ArmComparison key={pair.position} pair={pair} changes={changes} deltas={deltas[index]!} runs={loaded.runs} />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

function summaryOf(arms: { pair: ArmPair; count: number }[], variables: number): string {
  const parts: string[] = [];
  if (variables > 0) parts.push(`${variables} variable${variables === 1 ? '' : 's'}`);
  for (const { pair, count } of arms) {
    if (pair.status === 'added') parts.push(`${pair.label} added`);
    else if (pair.status === 'removed') parts.push(`${pair.label} removed`);
    else if (count > 0) parts.push(`${pair.label}: ${count} change${count === 1 ? '' : 's'}`);
  }
  return `What changed: ${parts.join(' · ')}.`;
}

function ValueChange({ change }: { change: FieldChange }) {
  return (
    <li className="rx__change">
      <span className="rx__field">{change.label}</span>
      <span className="rx__value">
        <del className="diff__removed" title={change.beforeTitle || undefined}>
          {change.before || 'none'}
        </del>
        <span aria-hidden="true"> → </span>
        <ins className="diff__added" title={change.afterTitle || undefined}>
          {change.after || 'none'}
        </ins>
      </span>
    </li>
  );
}

function ArmComparison(props: { pair: ArmPair; changes: FieldChange[]; deltas: ArmScoreDeltas; runs: [HistoryRun, HistoryRun] }) {
  const { pair, changes, deltas } = props;
  const before = pair.before !== null ? props.runs[0].run.arms[pair.before] : undefined;
  const after = pair.after !== null ? props.runs[1].run.arms[pair.after] : undefined;
  const values = changes.filter((c) => c.kind === 'value');
  const texts = changes.filter((c) => c.kind === 'text');
  return (
    <article className="rx-arm" aria-label={armName(pair.position, pair.label)}>
      <header className="rx-arm__head">
        <h3>{armName(pair.position, pair.label)}</h3>
        {pair.status !== 'matched' && <span className={`chip ${pair.status === 'added' ? 'chip--added' : 'chip--danger'}`}>{pair.status === 'added' ? 'Only in the later run' : 'Only in the earlier run'}</span>}
      </header>

      <section className="rx-arm__section" aria-label="Configuration changes">
        <h4>Configuration</h4>
        {changes.length === 0 ? (
          <p className="muted rx__same">Same configuration.</p>
        ) : (
          <>
            {values.length > 0 && (
              <ul className="rx__changes">
                {values.map((change) => (
                  <ValueChange key={change.field} change={change} />
                ))}
              </ul>
            )}
            {texts.map((change) => (
              <div key={change.field} className="rx__text-change">
                <span className="rx__field">{change.label}</span>
                <DiffView className="rx__diff" from={{ label: BEFORE, text: change.before }} to={{ label: AFTER, text: change.after }} />
              </div>
            ))}
          </>
        )}
      </section>

      <section className="rx-arm__section" aria-label="Score changes">
        <h4>Scores</h4>
        {deltas.deltas.length === 0 ? (
          <p className="muted rx__same">Neither run has scores on this arm.</p>
        ) : (
          <table className="rx-scores">
            <thead>
              <tr>
                <th scope="col">Score</th>
                <th scope="col">Earlier</th>
                <th scope="col">Later</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {deltas.deltas.map((d) => (
                <tr key={d.scorer}>
                  <th scope="row">{d.label}</th>
                  <td>{d.beforeText}</td>
                  <td>{d.afterText}</td>
                  <td className={`rx-delta rx-delta--${d.direction ?? 'none'}`} title={d.direction === 'better' ? 'Better' : d.direction === 'worse' ? 'Worse' : undefined}>
                    {d.deltaText}
                    {d.direction === 'better' ? ' ▲ better' : d.direction === 'worse' ? ' ▼ worse' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="rx-arm__section" aria-label="Answer changes">
        <h4>Answer</h4>
        {before && after ? (
          before.text === after.text ? (
            <p className="muted rx__same">The same answer, word for word.</p>
          ) : (
            <DiffView className="rx__diff" from={{ label: BEFORE, text: before.text }} to={{ label: AFTER, text: after.text }} />
          )
        ) : (
          <p className="muted rx__same">Only one run has this arm.</p>
        )}
      </section>
    </article>
  );
}
