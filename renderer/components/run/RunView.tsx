import { armRole } from '../../../shared/arms/model';
import { memo, useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { ArmResult, RunDetail } from '../../../shared/domain';
import { Icon } from '../Icon';
import type { RunImageRef } from '../../../shared/images';
import { ErrorBoundary } from '../ErrorBoundary';
import { ImageGallery } from '../images/ImageGallery';
import { ArmColumn } from './ArmColumn';
import { ArmSteps } from '../steps/ArmSteps';
import { useRunPipelines } from '../steps/guard-pipelines';
import { DiffView } from './DiffView';
import './run.css';

export interface RunLiveState {
  /** Renderer clock (performance.now()) when each streaming arm started, by arm index. */
  armStartedAt?: Record<number, number>;
}

export interface RunViewProps {
  run: RunDetail;
  /** Present while the run streams in this window. */
  live?: RunLiveState;
  /** History view: no re-run buttons. */
  readOnly?: boolean;
  onRerunArm?(armIndex: number): void;
  /** Friendly technique names by id. */
  techniqueNames?: Record<string, string>;
  /** A slot under each arm's output (score cards). */
  armFooter?(arm: ArmResult, run: RunDetail): ReactNode;
  /** Extra controls at the end of the toolbar. */
  toolbarExtra?: ReactNode;
  /** Images the arms produced (image generation), by arm index. */
  images?: readonly RunImageRef[];
}

interface SlotLatest {
  run: RunDetail;
  armFooter: RunViewProps['armFooter'];
  onRerunArm: RunViewProps['onRerunArm'];
}

interface ArmSlotProps {
  arm: ArmResult;
  position: number;
  runId: string;
  role: 'Baseline' | 'Mitigated' | 'Variant' | undefined;
  techniqueName: string | undefined;
  readOnly: boolean | undefined;
  compact: boolean;
  follow: boolean;
  liveStartedAt: number | undefined;
  canRerun: boolean;
  /** The saved pipelines that guarded this arm (the run's record). */
  pipelines: string[] | undefined;
  latest: RefObject<SlotLatest>;
  bodies: RefObject<(HTMLDivElement | null)[]>;
  onBodyScroll(element: HTMLDivElement): void;
}

/**
 * One column, re-rendered only when its own arm (or a view setting) changes. Its footer is made
 * from the run as it is then: a footer (the score card) shows this arm's results, which change
 * with this arm.
 */
const ArmSlot = memo(function ArmSlot({ arm, position, runId, latest, bodies, canRerun, pipelines, ...column }: ArmSlotProps) {
  const bodyRef = useCallback(
    (element: HTMLDivElement | null) => {
      bodies.current[position] = element;
    },
    [bodies, position],
  );
  const onRerun = useCallback(() => latest.current.onRerunArm?.(arm.index), [latest, arm.index]);
  const { run, armFooter } = latest.current;
  return (
    <ArmColumn
      arm={arm}
      baseline={position === 0}
      {...column}
      onRerun={canRerun ? onRerun : undefined}
      bodyRef={bodyRef}
      footer={armFooter?.(arm, run)}
      steps={<ArmSteps runId={runId} arm={arm} readOnly={column.readOnly} pipelines={pipelines} />}
    />
  );
});

/**
 * A run side by side: one column per arm, a toolbar (synchronised scrolling, compact or
 * expanded, word diff between any two arms). Used live on Compare and read-only in History.
 */
export function RunView(props: RunViewProps) {
  return (
    <ErrorBoundary what="this run" resetKey={props.run.id}>
      <RunViewBody {...props} />
    </ErrorBoundary>
  );
}

function RunViewBody(props: RunViewProps) {
  const { run } = props;
  const [sync, setSync] = useState(true);
  const [compact, setCompact] = useState(true);
  const [diff, setDiff] = useState<{ from: number; to: number } | null>(null);
  const bodies = useRef<(HTMLDivElement | null)[]>([]);
  const syncing = useRef<HTMLDivElement | null>(null);

  const arms = run.arms;
  // What the arm slots read when they render (never a reason to render): the run, the footer and
  // the re-run callback, so that a streamed frame of one arm re-renders that arm's column only.
  const latest = useRef<SlotLatest>({ run, armFooter: props.armFooter, onRerunArm: props.onRerunArm });
  latest.current = { run, armFooter: props.armFooter, onRerunArm: props.onRerunArm };
  useEffect(() => {
    if (diff && (diff.from >= arms.length || diff.to >= arms.length)) setDiff(null);
  }, [arms.length, diff]);

  const onBodyScroll = useCallback(
    (source: HTMLDivElement) => {
      if (!sync) return;
      if (syncing.current && syncing.current !== source) return;
      syncing.current = source;
      const range = source.scrollHeight - source.clientHeight;
      const ratio = range > 0 ? source.scrollTop / range : 0;
      for (const other of bodies.current) {
        if (!other || other === source) continue;
        other.scrollTop = ratio * (other.scrollHeight - other.clientHeight);
      }
      requestAnimationFrame(() => {
        if (syncing.current === source) syncing.current = null;
      });
    },
    [sync],
  );

  const streaming = arms.some((arm) => arm.status === 'streaming' || arm.status === 'pending');
  const pipelines = useRunPipelines(run.id, arms.some((arm) => arm.steps?.some((step) => step.kind.startsWith('guard-'))));
  const armName = (index: number) => `${arms[index]?.label ?? `Arm ${index + 1}`}`;

  return (
    <section className="run-view" aria-label="Run results">
      <div className="run-view__toolbar" role="toolbar" aria-label="Result view">
        <label className="toggle">
          <input type="checkbox" checked={sync} onChange={(e) => setSync(e.target.checked)} />
          <Icon name="sync" size={14} /> Sync scrolling
        </label>
        <div className="segmented segmented--text" role="radiogroup" aria-label="Column height">
          <button type="button" role="radio" aria-checked={compact} onClick={() => setCompact(true)}>
            Compact
          </button>
          <button type="button" role="radio" aria-checked={!compact} onClick={() => setCompact(false)}>
            Expanded
          </button>
        </div>
        {arms.length >= 2 && (
          <button
            type="button"
            className={`button button--small ${diff ? 'button--active' : ''}`}
            aria-pressed={diff !== null}
            onClick={() => setDiff(diff ? null : { from: 0, to: 1 })}
          >
            <Icon name="diff" size={14} /> Word diff
          </button>
        )}
        {diff && (
          <div className="diff-picker">
            <select aria-label="Diff from" value={diff.from} onChange={(e) => setDiff({ ...diff, from: Number(e.target.value) })}>
              {arms.map((arm) => (
                <option key={arm.index} value={arm.index}>
                  {arm.label}
                </option>
              ))}
            </select>
            <Icon name="chevron" size={14} />
            <select aria-label="Diff to" value={diff.to} onChange={(e) => setDiff({ ...diff, to: Number(e.target.value) })}>
              {arms.map((arm) => (
                <option key={arm.index} value={arm.index}>
                  {arm.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <span className="run-view__spacer" />
        {props.toolbarExtra}
      </div>

      {diff && (
        <DiffView
          className="run-view__diff"
          from={{ label: armName(diff.from), text: arms[diff.from]?.text ?? '' }}
          to={{ label: armName(diff.to), text: arms[diff.to]?.text ?? '' }}
          streaming={streaming}
        />
      )}

      {props.images && props.images.length > 0 && <ImageGallery run={run} images={props.images} />}

      <div className="run-view__columns" style={{ gridTemplateColumns: `repeat(${Math.max(arms.length, 1)}, minmax(0, 1fr))` }}>
        {arms.map((arm, position) => (
          <ErrorBoundary key={arm.index} what={`the answer of ${arm.label}`} resetKey={arm.status}>
            <ArmSlot
              arm={arm}
              position={position}
              runId={run.id}
              role={run.config.arms[arm.index]?.mode ? armRole(run.config.arms[arm.index]!) : undefined}
              techniqueName={props.techniqueNames?.[arm.technique]}
              readOnly={props.readOnly}
              compact={compact}
              follow={!sync && streaming}
              liveStartedAt={props.live?.armStartedAt?.[arm.index]}
              canRerun={props.onRerunArm !== undefined}
              pipelines={pipelines.get(arm.index)}
              latest={latest}
              bodies={bodies}
              onBodyScroll={onBodyScroll}
            />
          </ErrorBoundary>
        ))}
      </div>
    </section>
  );
}
