import './scores.css';
import { useState } from 'react';
import type { RunDetail } from '../../../shared/domain';
import { useAppStore } from '../../stores';
import { ScoreSettingsDialog } from './ScoreSettingsDialog';

/** Toolbar piece: scoring progress, a stop button, and the way into the score settings. */
export function RunScoresBar({ run }: { run: RunDetail }) {
  const [open, setOpen] = useState(false);
  const progress = useAppStore((s) => s.scoreProgress[run.id]);
  const error = useAppStore((s) => s.scoreErrors[run.id] ?? null);
  const cancelScoring = useAppStore((s) => s.cancelScoring);
  const busy = progress !== undefined && !progress.finished;
  return (
    <div className="run-scores-bar">
      {busy && (
        <>
          <span className="run-scores-bar__progress" role="status">
            Scoring {progress.done}/{progress.total}…
          </span>
          <button type="button" className="button button--small" onClick={() => void cancelScoring(run.id)}>
            Stop scoring
          </button>
        </>
      )}
      {error && !open && (
        <span className="run-scores-bar__error" role="alert" title={error}>
          {error}
        </span>
      )}
      <button type="button" className="button button--small" disabled={run.status === 'running'} onClick={() => setOpen(true)}>
        Scores…
      </button>
      <ScoreSettingsDialog run={run} open={open} onClose={() => setOpen(false)} />
    </div>
  );
}
