/**
 * A grounded answer: the Markdown as SafeMarkdown renders it, with each `[n]` turned into a
 * button that shows retrieved source n under the answer (file, page, rank, the passage with the
 * question's terms marked) and opens it in Corpora. Nothing from the answer becomes a link.
 */
import { useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { ArmResult } from '../../../shared/domain';
import { pageLabel } from '../../../shared/rag/chunk';
import { armRetrieval } from '../../../shared/rag/step-detail';
import { Icon } from '../../components/Icon';
import { SafeMarkdown } from '../../components/run/SafeMarkdown';
import { useAppStore } from '../../stores';
import { ChunkText } from './ChunkText';
import { decorateCitations, type CitationSource } from './citations-dom';
import './rag.css';

export function CitedAnswer(props: { arm: ArmResult; streaming: boolean; className?: string }) {
  const { arm } = props;
  const found = useMemo(() => armRetrieval(arm.steps ?? []), [arm.steps]);
  const retrieval = found?.retrieval ?? null;
  const sources = useMemo<CitationSource[]>(
    () => (retrieval?.chunks ?? []).map((chunk) => ({ title: [chunk.documentName, pageLabel(chunk.pageStart, chunk.pageEnd)].filter(Boolean).join(' · ') })),
    [retrieval],
  );
  const box = useRef<HTMLDivElement | null>(null);
  const sourcesRef = useRef(sources);
  sourcesRef.current = sources;
  const [open, setOpen] = useState<number | null>(null);
  const openChunk = useAppStore((s) => s.openChunk);

  // SafeMarkdown fills its element in its own layout effect (before this one); later updates
  // (streaming) come as added nodes, decorated as they arrive.
  useLayoutEffect(() => {
    const root = box.current?.querySelector('.markdown');
    if (!root || sources.length === 0) return;
    decorateCitations(root, sourcesRef.current);
    const observer = new MutationObserver((records) => {
      for (const record of records) record.addedNodes.forEach((node) => decorateCitations(node, sourcesRef.current));
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [sources.length]);

  const onClick = (event: MouseEvent) => {
    const button = (event.target as HTMLElement).closest?.('button.citation');
    if (!(button instanceof HTMLElement)) return;
    const n = Number(button.dataset.cite);
    if (Number.isInteger(n) && n >= 1 && n <= sources.length) setOpen(open === n ? null : n);
  };

  const chunk = open !== null && retrieval ? retrieval.chunks[open - 1] : undefined;
  const page = chunk ? pageLabel(chunk.pageStart, chunk.pageEnd) : null;
  return (
    <div ref={box} className="cited-answer" onClick={onClick}>
      <SafeMarkdown source={arm.text} streaming={props.streaming} className={props.className ?? ''} />
      {chunk && retrieval && (
        <aside className="cited-source" role="region" aria-label={`Source ${open}`}>
          <header className="retrieval-result__header">
            <span className="retrieval-result__rank">[{open}]</span>
            <span className="retrieval-result__source" title={chunk.documentName}>
              {chunk.documentName}
              {page && <span className="muted"> · {page}</span>}
              <span className="muted"> · passage {chunk.position + 1}</span>
            </span>
            <button type="button" className="button button--small" onClick={() => openChunk({ corpusId: retrieval.corpusId, chunkId: chunk.chunkId, question: retrieval.question })}>
              Open in Corpora
            </button>
            <button type="button" className="icon-button" aria-label={`Close source ${open}`} onClick={() => setOpen(null)}>
              <Icon name="close" size={14} />
            </button>
          </header>
          <ChunkText text={chunk.text} question={retrieval.question} />
        </aside>
      )}
    </div>
  );
}
