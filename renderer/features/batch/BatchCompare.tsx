/**
 * Batch against batch (issue 13): two batches from the Batches screen — what changed in their
 * configuration (the one diff of shared/runs/compare.ts: prompts word by word in the diff worker,
 * models, steps and settings as before → after), each arm's statistics side by side with the
 * change, and, when both ran the same rows, one row's answers of an arm diffed on demand.
 * The derivations are shared/runs/batch-compare.ts.
 */
import { useEffect, useMemo, useState } from 'react';
import type { BatchDetail, BatchStats } from '../../../shared/batch';
import { armName } from '../../../shared/labels';
import { armMatchNote, batchStatDeltas, deltaWords, diffBatchSettings, orderBatches, rowsAlign, sideOfBatch, type ArmStatDeltas } from '../../../shared/runs/batch-compare';
import { diffConfigs, type ArmPair, type FieldChange } from '../../../shared/runs/compare';
import type { Technique } from '../../../shared/techniques';
import { ErrorBanner } from '../../components/ErrorBanner';
import { DiffView } from '../../components/run/DiffView';
import { api, errorMessage } from '../../lib/api';
import { useAppStore } from '../../stores';

const BEFORE = 'the earlier batch';
const AFTER = 'the later batch';
const STATUS: Record<BatchDetail['status'], string> = { running: 'Running', paused: 'Paused', interrupted: 'Interrupted', cancelled: 'Cancelled', completed: 'Finished', failed: 'Failed' };

interface Loaded {
  batches: [BatchDetail, BatchDetail];
  stats: [BatchStats | null, BatchStats | null];
}

export function BatchCompare(props: { ids: [string, string]; onClose(): void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  // the user's own techniques too (a step names its technique), read here: the Batches screen may open before Compare
  const known = useAppStore((s) => s.techniques);
  const [own, setOwn] = useState<Technique[] | null>(null);
  const techniques = own ?? known;
  const [a, b] = props.ids;
  useEffect(() => {
    let live = true;
    api.call('techniques:list', {}).then(
      (list) => live && setOwn(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    setError(null);
    const load = (id: string) => Promise.all([api.call('batches:get', { id }), api.call('batches:stats', { id }).catch(() => null)]);
    Promise.all([load(a), load(b)]).then(
      ([x, y]) => {
        if (!live) return;
        const [first, second] = orderBatches({ detail: x[0], stats: x[1], createdAt: x[0].createdAt }, { detail: y[0], stats: y[1], createdAt: y[0].createdAt });
        setLoaded({ batches: [first.detail, second.detail], stats: [first.stats, second.stats] });
      },
      (caught: unknown) => live && setError(errorMessage(caught)),
    );
    return () => {
      live = false;
    };
  }, [a, b]);

  const diff = useMemo(() => (loaded ? diffConfigs(sideOfBatch(loaded.batches[0], techniques), sideOfBatch(loaded.batches[1], techniques), techniques) : null), [loaded, techniques]);
  const settings = useMemo(() => (loaded ? diffBatchSettings(loaded.batches[0], loaded.batches[1]) : []), [loaded]);
  const pairs = useMemo(() => diff?.arms.map((arm) => arm.pair) ?? [], [diff]);
  const deltas = useMemo(() => (loaded ? batchStatDeltas(pairs, loaded.stats[0], loaded.stats[1]) : []), [loaded, pairs]);

  if (error) return <ErrorBanner message={error} />;
  if (!loaded || !diff) {
    return (
      <p className="muted" role="status">
        Opening both batches…
      </p>
    );
  }
  const [before, after] = loaded.batches;
  const note = armMatchNote(pairs, before.armLabels, after.armLabels);
  const rows = rowsAlign(before, after);
  const changed = diff.changed || settings.length > 0;
  return (
    <section className="bx" aria-label="Batch against batch">
      <header className="bx__bar">
        <h2 className="bx__title">Batch against batch</h2>
        <button type="button" className="button button--small" onClick={props.onClose}>
          Close the comparison
        </button>
      </header>
      <div className="bx__batches">
        {loaded.batches.map((batch, index) => (
          <div key={batch.id} className={`bx__batch bx__batch--${index === 0 ? 'before' : 'after'}`}>
            <span className="bx__which">{index === 0 ? 'Earlier batch' : 'Later batch'}</span>
            <strong title={batch.name}>{batch.name}</strong>
            <span className="muted">
              {STATUS[batch.status]} · {batch.datasetName ?? 'no dataset'} · {batch.rowCount.toLocaleString()} row{batch.rowCount === 1 ? '' : 's'} × {batch.armLabels.length} arms × {batch.repeats} repeat{batch.repeats === 1 ? '' : 's'}
            </span>
          </div>
        ))}
      </div>

      <p className="bx__summary" role="status" aria-label="Configuration summary">
        {changed ? summaryOf(diff.arms.map((arm) => ({ pair: arm.pair, count: arm.changes.length })), diff.variables.length, settings) : 'Both batches ran the same configuration: any difference in the scores is the models’ own variation.'}
      </p>
      <p className={`bx__note${note.aligned ? '' : ' bx__note--warn'}`} role="note" aria-label="How arms were matched">
        {note.sentence}
      </p>

      {(settings.length > 0 || diff.variables.length > 0) && (
        <section className="bx__settings" aria-label="Batch settings changes">
          <h3>Batch settings and variables</h3>
          <ul className="bx__changes">
            {[...settings, ...diff.variables].map((change) => (
              <ValueChange key={change.field} change={change} />
            ))}
          </ul>
        </section>
      )}

      <div className="bx__grid">
        {diff.arms.map(({ pair, changes }, index) => (
          <ArmComparison key={pair.position} pair={pair} changes={changes} deltas={deltas[index]!} batches={loaded.batches} rowsAligned={rows.aligned} />
        ))}
      </div>
      <p className="muted bx__rows" role="note" aria-label="Rows across the batches">
        {rows.sentence}
      </p>
    </section>
  );
}

function summaryOf(arms: { pair: ArmPair; count: number }[], variables: number, settings: FieldChange[]): string {
  const parts: string[] = settings.map((s) => s.label.toLowerCase());
  if (variables > 0) parts.push(`${variables} variable${variables === 1 ? '' : 's'}`);
  for (const { pair, count } of arms) {
    const name = armName(pair.position, pair.label);
    if (pair.status === 'added') parts.push(`${name} added`);
    else if (pair.status === 'removed') parts.push(`${name} removed`);
    else if (count > 0) parts.push(`${name}: ${count} change${count === 1 ? '' : 's'}`);
  }
  return `What changed: ${parts.join(' · ')}.`;
}

function ValueChange({ change }: { change: FieldChange }) {
  return (
    <li className="bx__change">
      <span className="bx__field">{change.label}</span>
      <span className="bx__value">
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

function ArmComparison(props: { pair: ArmPair; changes: FieldChange[]; deltas: ArmStatDeltas; batches: [BatchDetail, BatchDetail]; rowsAligned: boolean }) {
  const { pair, changes, deltas } = props;
  const values = changes.filter((c) => c.kind === 'value');
  const texts = changes.filter((c) => c.kind === 'text');
  return (
    <article className="bx-arm" aria-label={armName(pair.position, pair.label)}>
      <header className="bx-arm__head">
        <h3 title={pair.label}>{armName(pair.position, pair.label)}</h3>
        {pair.status !== 'matched' && <span className={`chip ${pair.status === 'added' ? 'chip--added' : 'chip--danger'}`}>{pair.status === 'added' ? 'Only in the later batch' : 'Only in the earlier batch'}</span>}
      </header>

      <section className="bx-arm__section" aria-label="Configuration changes">
        <h4>Configuration</h4>
        {changes.length === 0 ? (
          <p className="muted bx__same">Same configuration.</p>
        ) : (
          <>
            {values.length > 0 && (
              <ul className="bx__changes">
                {values.map((change) => (
                  <ValueChange key={change.field} change={change} />
                ))}
              </ul>
            )}
            {texts.map((change) => (
              <div key={change.field} className="bx__text-change">
                <span className="bx__field">{change.label}</span>
                <DiffView className="bx__diff" from={{ label: BEFORE, text: change.before }} to={{ label: AFTER, text: change.after }} />
              </div>
            ))}
          </>
        )}
      </section>

      <section className="bx-arm__section" aria-label="Statistics changes">
        <h4>Statistics</h4>
        {deltas.deltas.length === 0 ? (
          <p className="muted bx__same">Neither batch has scores on this arm. Choose scores when you start a batch to compare them here.</p>
        ) : (
          <div className="bx-stats__scroll">
            <table className="bx-stats">
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
                    <td>
                      {d.beforeText}
                      {d.beforeInterval !== '—' && <span className="bx-stats__interval">95 % {d.beforeInterval}</span>}
                      {d.beforeN > 0 && <span className="bx-stats__interval">n {d.beforeN}</span>}
                    </td>
                    <td>
                      {d.afterText}
                      {d.afterInterval !== '—' && <span className="bx-stats__interval">95 % {d.afterInterval}</span>}
                      {d.afterN > 0 && <span className="bx-stats__interval">n {d.afterN}</span>}
                    </td>
                    <td className={`bx-delta bx-delta--${d.direction ?? 'none'}`}>
                      {d.deltaText}
                      {deltaWords(d) && <span className="bx-stats__words">{deltaWords(d)}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="bx-arm__section" aria-label="Answer changes">
        <h4>Answers, row by row</h4>
        {pair.before === null || pair.after === null ? (
          <p className="muted bx__same">Only one batch has this arm.</p>
        ) : !props.rowsAligned ? (
          <p className="muted bx__same">The rows do not line up (see below).</p>
        ) : (
          <RowDiff pair={pair} batches={props.batches} />
        )}
      </section>
    </article>
  );
}

/** One row (and repeat) of an arm in both batches: both answers read from their runs, diffed in the worker. */
function RowDiff({ pair, batches }: { pair: ArmPair; batches: [BatchDetail, BatchDetail] }) {
  const [before, after] = batches;
  const rowCount = Math.min(before.rows.length, after.rows.length);
  const repeats = Math.min(before.repeats, after.repeats);
  const [row, setRow] = useState(0);
  const [repeat, setRepeat] = useState(0);
  const [shown, setShown] = useState<{ key: string; texts: [string, string] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);
  const key = `${row}:${repeat}`;
  const cellOf = (batch: BatchDetail, arm: number) => batch.cells.find((c) => c.row === row && c.repeat === repeat && c.arm === arm);
  const rowText = (index: number) => {
    const values = before.rows[index]?.variables.map((v) => v.value).join(' · ') ?? '';
    return values.length > 48 ? `${values.slice(0, 47)}…` : values;
  };

  async function open() {
    setError(null);
    const x = cellOf(before, pair.before!);
    const y = cellOf(after, pair.after!);
    if (!x?.runId || !y?.runId) {
      setError('This row has not run in both batches yet.');
      return;
    }
    setOpening(true);
    try {
      const [rx, ry] = await Promise.all([api.call('runs:get', { id: x.runId }), api.call('runs:get', { id: y.runId })]);
      setShown({ key, texts: [rx.arms[pair.before!]?.text ?? '', ry.arms[pair.after!]?.text ?? ''] });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setOpening(false);
    }
  }

  const armLabel = armName(pair.position, pair.label);
  return (
    <div className="bx-rows">
      <div className="bx-rows__pick">
        {rowCount > 1 && (
          <label className="field">
            <span className="field__label">Row</span>
            <select aria-label={`Row to compare, ${armLabel}`} value={row} onChange={(e) => setRow(Number(e.target.value))}>
              {Array.from({ length: rowCount }, (_, i) => (
                <option key={i} value={i}>
                  Row {i + 1}
                  {rowText(i) ? ` · ${rowText(i)}` : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        {repeats > 1 && (
          <label className="field">
            <span className="field__label">{before.datasetId === null ? 'Sample' : 'Repeat'}</span>
            <select aria-label={`Repeat to compare, ${armLabel}`} value={repeat} onChange={(e) => setRepeat(Number(e.target.value))}>
              {Array.from({ length: repeats }, (_, i) => (
                <option key={i} value={i}>
                  {i + 1}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" className="button button--small" disabled={opening} onClick={() => void open()}>
          {opening ? 'Opening…' : 'Compare the answers'}
        </button>
      </div>
      {error && <p className="bx__error">{error}</p>}
      {shown?.key === key &&
        (shown.texts[0] === shown.texts[1] ? (
          <p className="muted bx__same">The same answer, word for word.</p>
        ) : (
          <DiffView className="bx__diff" from={{ label: BEFORE, text: shown.texts[0] }} to={{ label: AFTER, text: shown.texts[1] }} />
        ))}
    </div>
  );
}
