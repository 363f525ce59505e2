import { useEffect, useState } from 'react';
import type { ArmResult, RunDetail } from '../../../shared/domain';
import type { ArmRating, RunRatings } from '../../../shared/scores/types';
import { useAppStore } from '../../stores';

const THUMB_UP =
  'M7 10v12M15 5.88L14 10h5.83a2 2 0 0 1 1.92 2.56l-2.33 8A2 2 0 0 1 17.5 22H4a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2.76a2 2 0 0 0 1.79-1.11L12 2a3.13 3.13 0 0 1 3 3.88z';

function Thumb({ down }: { down?: boolean }) {
  return (
    <svg width={15} height={15} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" style={down ? { transform: 'rotate(180deg)' } : undefined}>
      <path d={THUMB_UP} />
    </svg>
  );
}

/** Thumbs up/down and 1–5 stars for one arm; clicking the current choice clears it. */
export function ArmRatingControls({ runId, arm, rating }: { runId: string; arm: ArmResult; rating: ArmRating | undefined }) {
  const rate = useAppStore((s) => s.rate);
  const thumb = rating?.thumb ?? null;
  const stars = rating?.stars ?? null;
  return (
    <div className="rating" role="group" aria-label={`Your rating of ${arm.label}`}>
      <button
        type="button"
        className="rating__thumb"
        aria-pressed={thumb === 'up'}
        aria-label={`Thumbs up for ${arm.label}`}
        onClick={() => void rate({ runId, armIndex: arm.index, thumb: thumb === 'up' ? null : 'up' })}
      >
        <Thumb />
      </button>
      <button
        type="button"
        className="rating__thumb"
        aria-pressed={thumb === 'down'}
        aria-label={`Thumbs down for ${arm.label}`}
        onClick={() => void rate({ runId, armIndex: arm.index, thumb: thumb === 'down' ? null : 'down' })}
      >
        <Thumb down />
      </button>
      <span className="rating__stars" role="radiogroup" aria-label={`Stars for ${arm.label}`}>
        {[1, 2, 3, 4, 5].map((value) => (
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={stars === value}
            aria-label={`${value} star${value > 1 ? 's' : ''}`}
            className={`rating__star ${stars !== null && value <= stars ? 'rating__star--on' : ''}`}
            onClick={() => void rate({ runId, armIndex: arm.index, stars: stars === value ? null : value })}
          >
            ★
          </button>
        ))}
      </span>
    </div>
  );
}

/**
 * The run-level ratings: which arm a person prefers, and the run's note. The note is the run's
 * one note (runs.note): History shows, edits and searches the same text. Where History's own
 * note editor is on screen, pass showNote={false} so the note is not shown twice.
 */
export function RunRatingPanel({ run, showNote = true }: { run: RunDetail; showNote?: boolean }) {
  const watchScores = useAppStore((s) => s.watchScores);
  const rate = useAppStore((s) => s.rate);
  const ratings: RunRatings | undefined = useAppStore((s) => s.scoresByRun[run.id]?.ratings);
  const error = useAppStore((s) => s.scoreErrors[run.id] ?? null);
  const [note, setNote] = useState(ratings?.note ?? '');
  useEffect(() => {
    watchScores(run.id);
  }, [run.id, watchScores]);
  useEffect(() => {
    setNote(ratings?.note ?? '');
  }, [run.id, ratings?.note]);

  const preferred = ratings?.preferredArm ?? null;
  const saveNote = () => {
    if (note !== (ratings?.note ?? '')) void rate({ runId: run.id, note });
  };
  return (
    <section className="run-rating" aria-label="Your verdict on this run">
      <label className="run-rating__preference">
        <span>Preferred</span>
        <select
          aria-label="Preferred arm"
          value={preferred === null ? '' : String(preferred)}
          onChange={(event) => {
            const value = event.target.value;
            void rate({ runId: run.id, preferredArm: value === '' ? null : value === 'tie' ? 'tie' : Number(value) });
          }}
        >
          <option value="">No preference yet</option>
          {run.arms.map((arm) => (
            <option key={arm.index} value={arm.index}>
              {arm.label}
            </option>
          ))}
          <option value="tie">Tie — no difference</option>
        </select>
      </label>
      {showNote && (
        <label className="run-rating__note">
          <span>Note</span>
          <textarea
            aria-label="Run note"
            rows={1}
            value={note}
            maxLength={20_000}
            placeholder="Why you rated it this way — the run’s note, also shown and searchable in History (saved when you leave the field)"
            onChange={(event) => setNote(event.target.value)}
            onBlur={saveNote}
          />
        </label>
      )}
      {error && (
        <p className="run-rating__error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
