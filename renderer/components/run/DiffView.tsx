import './run.css';
import { diffWords, type ChangeObject } from 'diff';
import { memo, useMemo } from 'react';

export interface DiffSide {
  label: string;
  text: string;
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Word-level diff of two texts (jsdiff diffWords), shown inline: removed struck, added marked. */
export const DiffView = memo(function DiffView(props: { from: DiffSide; to: DiffSide; className?: string }) {
  const { parts, added, removed } = useMemo(() => {
    const changes: ChangeObject<string>[] = diffWords(props.from.text, props.to.text);
    let added = 0;
    let removed = 0;
    for (const change of changes) {
      if (change.added) added += countWords(change.value);
      else if (change.removed) removed += countWords(change.value);
    }
    return { parts: changes, added, removed };
  }, [props.from.text, props.to.text]);

  return (
    <section className={`diff ${props.className ?? ''}`} aria-label={`Differences from ${props.from.label} to ${props.to.label}`}>
      <header className="diff__legend">
        <span className="diff__key diff__key--removed">− {removed} {removed === 1 ? 'word' : 'words'} only in {props.from.label}</span>
        <span className="diff__key diff__key--added">+ {added} {added === 1 ? 'word' : 'words'} only in {props.to.label}</span>
      </header>
      <div className="diff__body">
        {parts.map((part, index) =>
          part.added ? (
            <ins key={index} className="diff__added">
              {part.value}
            </ins>
          ) : part.removed ? (
            <del key={index} className="diff__removed">
              {part.value}
            </del>
          ) : (
            <span key={index}>{part.value}</span>
          ),
        )}
      </div>
    </section>
  );
});
