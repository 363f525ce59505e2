import './run.css';
import { memo, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { Dialog } from '../Dialog';
import { externalUrl } from './markdown';
import { MarkdownView, noteText, type MarkdownNote } from './markdown-view';

/**
 * Untrusted Markdown (model output) as inert HTML. Links open in the system browser only
 * after the user confirms; see markdown.ts for what is neutralised and how. While `streaming`,
 * only the block being written is rendered again (markdown-stream.ts, markdown-view.ts); the
 * element's children are managed there, never by React.
 */
export const SafeMarkdown = memo(function SafeMarkdown(props: { source: string; className?: string; streaming?: boolean }) {
  const box = useRef<HTMLDivElement | null>(null);
  const view = useRef<MarkdownView | null>(null);
  const [note, setNote] = useState<MarkdownNote>(null);
  const [pending, setPending] = useState<string | null>(null);

  useLayoutEffect(() => {
    if (!box.current) return;
    view.current ??= new MarkdownView(box.current, setNote);
    view.current.show(props.source, props.streaming ?? false);
  }, [props.source, props.streaming]);
  useEffect(
    () => () => {
      view.current?.dispose();
      view.current = null;
    },
    [],
  );

  const linkTarget = (event: MouseEvent | KeyboardEvent): string | null => {
    const anchor = (event.target as HTMLElement).closest?.('[data-external-href]');
    return anchor ? externalUrl(anchor.getAttribute('data-external-href') ?? '') : null;
  };
  const onClick = (event: MouseEvent) => {
    const url = linkTarget(event);
    if (!url) return;
    event.preventDefault();
    setPending(url);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    const url = linkTarget(event);
    if (url) setPending(url);
  };

  return (
    <>
      {note && (
        <p className="markdown-note" role="note">
          {noteText(note)}
        </p>
      )}
      <div ref={box} className={`markdown ${props.className ?? ''}`} onClick={onClick} onKeyDown={onKeyDown} />
      <Dialog title="Open link in your browser?" open={pending !== null} onClose={() => setPending(null)}>
        <div className="form">
          <p className="confirm-text">
            This link comes from model output. Check where it goes before you open it:
          </p>
          <code className="confirm-url">{pending}</code>
          <div className="form__actions">
            <button type="button" className="button" onClick={() => setPending(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button button--primary"
              onClick={() => {
                if (pending) window.open(pending, '_blank', 'noopener,noreferrer');
                setPending(null);
              }}
            >
              Open in browser
            </button>
          </div>
        </div>
      </Dialog>
    </>
  );
});
