/**
 * A repeated comparison in Compare (issue 13: "run each arm N times"): a batch with no dataset,
 * one run per sample. Sample 1 is shown first, a switcher shows the others; each arm's column
 * (a strip over the columns) says how its scores spread over the samples ("5 samples: Bias and stereotypes 2.0–4.0
 * (mean 3.1)"), so one answer reads as the anecdote it is. The samples stay in History.
 *
 * While the batch runs, this view watches it (batches:watch): each sample's text streams in as it
 * is generated (`batch:delta`, the runner's own coalesced and paced deltas), joined with the text
 * read from the run (shared/runs/live-text.ts) and painted once a frame (stores/delta-batcher.ts,
 * whose paint lag goes back to main as `stream:pace`). Batches nobody watches send no text.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { BatchCell, BatchDetail, BatchStats } from '../../../shared/batch';
import type { ArmResult, RunDetail } from '../../../shared/domain';
import { applyDelta, applyRead, EMPTY_LIVE, type LiveText } from '../../../shared/runs/live-text';
import { armSpreads, samplesOf, type SampleSpread } from '../../../shared/runs/repeats';
import { armName, armRef } from '../../../shared/labels';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RunView } from '../../components/run/RunView';
import { RunScoresBar, ScoreCard } from '../../components/scores';
import { api, errorMessage } from '../../lib/api';
import { useAppStore } from '../../stores';
import { createDeltaBatcher } from '../../stores/delta-batcher';

const keyOf = (c: Pick<BatchCell, 'row' | 'repeat' | 'arm'>) => `${c.row}:${c.repeat}:${c.arm}`;
const FINISHED = new Set(['completed', 'failed', 'cancelled']);
const OPEN = new Set(['pending', 'streaming']);
/** A gap in a streaming sample's text is filled by reading its run again, at most this often. */
const READ_AGAIN_MS = 300;
const liveKey = (runId: string, armIndex: number) => `${runId}:${armIndex}`;

/** Each arm's spread over the samples, in a strip aligned with the columns below it. */
function SpreadStrip({ labels, spreads, samples, done }: { labels: string[]; spreads: SampleSpread[][]; samples: number; done: number[] }) {
  if (samples < 2) return null;
  return (
    <div className="repeat-strip" style={{ gridTemplateColumns: `repeat(${Math.max(labels.length, 1)}, minmax(0, 1fr))` }}>
      {labels.map((label, index) => {
        const own = spreads[index] ?? [];
        return (
          <div key={index} className="repeat-spread" role="note" aria-label={`Spread over the samples, ${armRef(index)}`}>
            <span className="repeat-spread__title">
              {armName(index, label)}
              {(done[index] ?? 0) < samples ? ` · ${done[index] ?? 0} of ${samples} samples done` : ''}
            </span>
            {own.length === 0 ? (
              <span className="muted">No scores yet.</span>
            ) : (
              <ul>
                {own.map((spread) => (
                  <li key={spread.scorer}>{spread.sentence}</li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </div>
  );
}

const footerOf = (arm: ArmResult, shown: RunDetail): ReactNode => <ScoreCard run={shown} arm={arm} />;

export function RepeatResults({ batchId, techniqueNames }: { batchId: string; techniqueNames: Record<string, string> }) {
  const sample = useAppStore((s) => s.batchSample);
  const setSample = useAppStore((s) => s.setBatchSample);
  const [detail, setDetail] = useState<BatchDetail | null>(null);
  const [stats, setStats] = useState<BatchStats | null>(null);
  const [run, setRun] = useState<RunDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  // streaming text by run and arm (kept outside React state; a frame counter repaints)
  const live = useRef(new Map<string, LiveText>());
  const [frame, setFrame] = useState(0);
  const [readAgain, setReadAgain] = useState(0);
  const shownRunRef = useRef<string | null>(null);
  const readTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const requestRead = useCallback(() => {
    readTimer.current ??= setTimeout(() => {
      readTimer.current = null;
      setReadAgain((n) => n + 1);
    }, READ_AGAIN_MS);
  }, []);
  useEffect(
    () => () => {
      if (readTimer.current) clearTimeout(readTimer.current);
    },
    [],
  );

  // the batch, patched by its events; read again once it has finished (the final scores)
  useEffect(() => {
    let live = true;
    const load = () =>
      api.call('batches:get', { id: batchId }).then(
        (loaded) => live && setDetail(loaded),
        (caught: unknown) => live && setError(errorMessage(caught)),
      );
    void load();
    const offCells = api.on('batch:cells', ({ batchId: id, cells }) => {
      if (id !== batchId) return;
      setDetail((current) => {
        if (!current) return current;
        const patch = new Map(cells.map((c) => [keyOf(c), c]));
        return { ...current, cells: current.cells.map((c) => patch.get(keyOf(c)) ?? c) };
      });
    });
    const offProgress = api.on('batch:progress', (progress) => {
      if (progress.batchId !== batchId) return;
      setDetail((current) => (current ? { ...current, status: progress.status, counts: progress.counts, costUsd: progress.costUsd } : current));
      if (FINISHED.has(progress.status)) void load();
    });
    return () => {
      live = false;
      offCells();
      offProgress();
    };
  }, [batchId]);

  // while it runs, the samples' text streams in (only a watched batch sends it)
  const running = detail !== null && !FINISHED.has(detail.status);
  useEffect(() => {
    if (!running) return;
    const paint = createDeltaBatcher({
      apply: () => setFrame((n) => n + 1),
      onLag: (lagMs) => void api.call('stream:pace', { lagMs: Math.min(600_000, Math.round(lagMs)) }).catch(() => undefined),
    });
    const off = api.on('batch:delta', (delta) => {
      if (delta.batchId !== batchId) return;
      const key = liveKey(delta.runId, delta.armIndex);
      const joined = applyDelta(live.current.get(key) ?? EMPTY_LIVE, delta.at, delta.text);
      live.current.set(key, joined.live);
      if (joined.gap && delta.runId === shownRunRef.current) requestRead();
      paint.push({ runId: delta.runId, armIndex: delta.armIndex, text: delta.text });
    });
    void api.call('batches:watch', { id: batchId, watching: true }).catch(() => undefined);
    return () => {
      off();
      void api.call('batches:watch', { id: batchId, watching: false }).catch(() => undefined);
    };
  }, [batchId, running, requestRead]);

  const cells = detail?.cells;
  const samples = useMemo(() => (cells ? samplesOf(cells) : []), [cells]);
  const shown = samples[Math.min(sample, Math.max(0, samples.length - 1))];
  const armCount = detail?.armLabels.length ?? 0;
  const spreads = useMemo(() => Array.from({ length: armCount }, (_, arm) => (cells ? armSpreads(cells, arm) : [])), [cells, armCount]);
  const done = useMemo(() => Array.from({ length: armCount }, (_, arm) => cells?.filter((c) => c.arm === arm && c.status === 'completed').length ?? 0), [cells, armCount]);
  // the shown sample's run: read again whenever one of its arms settles
  const shownVersion = cells && shown ? cells.filter((c) => c.repeat === shown.repeat).map((c) => `${c.status}:${c.scores.length}`).join(',') : '';
  const shownRunId = shown?.runId ?? null;
  shownRunRef.current = shownRunId;
  useEffect(() => {
    if (!shownRunId) {
      setRun(null);
      return;
    }
    let current = true;
    api.call('runs:get', { id: shownRunId }).then(
      (loaded) => {
        if (!current) return;
        // the text read joins what streamed; a settled arm's stored text is final
        for (const arm of loaded.arms) {
          const key = liveKey(loaded.id, arm.index);
          if (OPEN.has(arm.status)) live.current.set(key, applyRead(live.current.get(key) ?? EMPTY_LIVE, arm.text));
          else live.current.delete(key);
        }
        setRun(loaded);
      },
      (caught: unknown) => current && setError(errorMessage(caught)),
    );
    return () => {
      current = false;
    };
  }, [shownRunId, shownVersion, readAgain]);

  // the shown run with its streaming arms' text so far
  const shownRun = useMemo(() => {
    if (!run) return null;
    let changed = false;
    const arms = run.arms.map((arm) => {
      if (!OPEN.has(arm.status)) return arm;
      const text = live.current.get(liveKey(run.id, arm.index))?.text;
      if (text === null || text === undefined || text.length <= arm.text.length) return arm;
      changed = true;
      return { ...arm, text, status: 'streaming' as const };
    });
    return changed ? { ...run, arms } : run;
    // `frame` repaints: the streaming text lives in a ref
  }, [run, frame]);

  const status = detail?.status;
  useEffect(() => {
    if (!status || !FINISHED.has(status)) return;
    let live = true;
    api.call('batches:stats', { id: batchId }).then(
      (loaded) => live && setStats(loaded),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [batchId, status, detail?.counts.completed]);

  if (error) return <ErrorBanner message={error} />;
  if (!detail) {
    return (
      <div className="compare__hint" role="status">
        Opening the samples…
      </div>
    );
  }
  const settled = samples.filter((s) => s.settled).length;
  const effects = (stats?.arms ?? []).flatMap((arm) => arm.effects.map((effect) => ({ key: `${arm.arm}:${effect.scorer}`, sentence: effect.sentence })));
  return (
    <section className="repeats" aria-label="Repeated comparison">
      <div className="repeats__bar">
        <div className="repeats__intro">
          <strong>
            {detail.name}: each arm ran {samples.length} times
          </strong>
          <span className="muted" role="status" aria-label="Samples status">
            {FINISHED.has(detail.status)
              ? `${settled} of ${samples.length} samples finished · saved to History`
              : `Running · ${detail.counts.completed + detail.counts.failed} of ${detail.counts.total} answers done`}
          </span>
        </div>
        <div className="repeats__switch" role="tablist" aria-label="Samples">
          {samples.map((s, index) => (
            <button
              key={s.repeat}
              type="button"
              role="tab"
              aria-selected={shown?.repeat === s.repeat}
              className={`repeats__tab${shown?.repeat === s.repeat ? ' repeats__tab--on' : ''}${s.settled ? '' : ' repeats__tab--open'}`}
              onClick={() => setSample(index)}
            >
              Sample {s.repeat + 1}
            </button>
          ))}
        </div>
      </div>
      <p className="repeats__lesson muted">One sample is an anecdote: read how each arm’s scores spread over the samples before drawing a conclusion from one answer.</p>
      <SpreadStrip labels={detail.armLabels} spreads={spreads} samples={samples.length} done={done} />
      {shownRun ? (
        <RunView run={shownRun} readOnly techniqueNames={techniqueNames} armFooter={footerOf} toolbarExtra={<RunScoresBar run={shownRun} />} />
      ) : (
        <div className="compare__hint" role="status">
          Sample {(shown?.repeat ?? 0) + 1} has not started yet.
        </div>
      )}
      {effects.length > 0 && (
        <section className="repeats__effects" aria-label="What the samples say">
          <h3>Over all {samples.length} samples</h3>
          <ul>
            {effects.map((e) => (
              <li key={e.key}>{e.sentence}</li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
