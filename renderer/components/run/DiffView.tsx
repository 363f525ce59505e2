import './run.css';
import { memo, useEffect, useId, useRef, useState } from 'react';
import { splitInvisibles } from '../../../shared/invisibles';
import type { DiffResult } from './diff-compute';
import { requestDiff } from './diff-client';

export interface DiffSide {
  label: string;
  text: string;
}

/** While arms stream, the diff follows at this rate at most; once they settle it updates at once. */
const STREAMING_DIFF_EVERY_MS = 1000;

/** Text with invisible characters (bidi overrides, zero-width) shown as labels. */
export function Revealed({ text }: { text: string }) {
  const pieces = splitInvisibles(text);
  if (pieces.length === 1 && 'text' in pieces[0]!) return <>{text}</>;
  return (
    <>
      {pieces.map((piece, index) =>
        'text' in piece ? (
          piece.text
        ) : (
          <span key={index} className="md-invisible" title={piece.title}>
            {piece.label}
          </span>
        ),
      )}
    </>
  );
}

/**
 * Diff of two texts shown inline: removed struck, added marked. Computed in a Web Worker
 * (diff-compute.ts: words, or lines for long texts), only while this view is open.
 */
export const DiffView = memo(function DiffView(props: { from: DiffSide; to: DiffSide; className?: string; streaming?: boolean }) {
  const [diff, setDiff] = useState<DiffResult | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const lastAt = useRef(0);
  const key = useId();
  const { text: fromText } = props.from;
  const { text: toText } = props.to;

  useEffect(() => {
    let current = true;
    const run = () => {
      lastAt.current = performance.now();
      requestDiff(fromText, toText, key).then(
        (result) => {
          if (current && result) {
            setDiff(result);
            setFailed(null);
          }
        },
        (error: unknown) => {
          if (current) setFailed(error instanceof Error ? error.message : String(error));
        },
      );
    };
    const wait = props.streaming ? STREAMING_DIFF_EVERY_MS - (performance.now() - lastAt.current) : 0;
    if (wait <= 0) {
      run();
      return () => {
        current = false;
      };
    }
    const timer = window.setTimeout(run, wait);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [fromText, toText, props.streaming, key]);

  const unit = diff?.mode === 'lines' ? 'line' : 'word';
  const plural = (n: number) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  return (
    <section
      className={`diff ${props.className ?? ''}`}
      aria-label={`Differences from ${props.from.label} to ${props.to.label}`}
      aria-busy={diff === null}
      data-diff-mode={diff?.mode ?? 'pending'}
    >
      <header className="diff__legend">
        {diff ? (
          <>
            <span className="diff__key diff__key--removed">
              − {plural(diff.removed)} only in {props.from.label}
            </span>
            <span className="diff__key diff__key--added">
              + {plural(diff.added)} only in {props.to.label}
            </span>
          </>
        ) : (
          <span className="muted">{failed ?? 'Comparing…'}</span>
        )}
      </header>
      {diff?.note && (
        <p className="diff__note muted" role="note">
          {diff.note}
        </p>
      )}
      <div className={`diff__body ${diff?.mode === 'lines' ? 'diff__body--lines' : ''}`}>
        {diff?.parts.map((part, index) =>
          part.added ? (
            <ins key={index} className="diff__added">
              <Revealed text={part.value} />
            </ins>
          ) : part.removed ? (
            <del key={index} className="diff__removed">
              <Revealed text={part.value} />
            </del>
          ) : (
            <span key={index}>
              <Revealed text={part.value} />
            </span>
          ),
        )}
      </div>
    </section>
  );
});
