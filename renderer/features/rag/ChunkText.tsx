import { useMemo } from 'react';
import { highlightTerms } from '../../../shared/rag/highlight';

/** A chunk's text as plain text (never HTML), the question's terms marked. */
export function ChunkText({ text, question }: { text: string; question: string }) {
  const segments = useMemo(() => highlightTerms(text, question), [text, question]);
  return (
    <p className="chunk-text">
      {segments.map((segment, index) => (segment.hit ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
    </p>
  );
}
