import { pageLabel } from '../../../shared/rag/chunk';
import type { RetrievalMode, RetrievedChunk } from '../../../shared/rag/types';
import { ChunkText } from './ChunkText';

const SCORE_NAMES: Record<RetrievalMode, string> = { semantic: 'cosine', keyword: 'BM25', hybrid: 'RRF' };

export function formatScore(mode: RetrievalMode, score: number): string {
  return mode === 'hybrid' ? score.toFixed(4) : mode === 'keyword' ? score.toFixed(2) : score.toFixed(3);
}

/** Each retrieved chunk with its rank, score, source file and page, the question's terms marked. */
export function RetrievalResults(props: { chunks: readonly RetrievedChunk[]; mode: RetrievalMode; question: string; highlightChunkId?: number | null; onOpen?: (chunk: RetrievedChunk) => void }) {
  return (
    <ol className="retrieval-results" aria-label="Retrieved passages">
      {props.chunks.map((chunk) => {
        const page = pageLabel(chunk.pageStart, chunk.pageEnd);
        return (
          <li key={chunk.chunkId} className="retrieval-result" data-chunk-id={chunk.chunkId} aria-current={props.highlightChunkId === chunk.chunkId ? 'true' : undefined}>
            <header className="retrieval-result__header">
              <span className="retrieval-result__rank" aria-label={`Rank ${chunk.rank}`}>
                [{chunk.rank}]
              </span>
              <span className="retrieval-result__source" title={chunk.documentName}>
                {chunk.documentName}
                {page && <span className="muted"> · {page}</span>}
                <span className="muted"> · passage {chunk.position + 1}</span>
              </span>
              <span className="retrieval-result__score" title={`${SCORE_NAMES[props.mode]} score`}>
                {SCORE_NAMES[props.mode]} {formatScore(props.mode, chunk.score)}
              </span>
              {props.onOpen && (
                <button type="button" className="button button--small" onClick={() => props.onOpen!(chunk)}>
                  Open in Corpora
                </button>
              )}
            </header>
            <ChunkText text={chunk.text} question={props.question} />
          </li>
        );
      })}
    </ol>
  );
}
