/**
 * Trace views of the retrieve and clarify steps (issue 11): the numbered sources the model read,
 * each with its score, file and page, the question's terms marked, and a link that opens the
 * passage in the Corpora screen; for clarify, the question asked, the answer and what was found again.
 */
import { ClarifyStepDetail, RetrieveStepDetail, type RetrievalDetail } from '../../../shared/rag/step-detail';
import type { StepTrace } from '../../../shared/steps/trace';
import { RetrievalResults } from '../../features/rag/RetrievalResults';
import { useAppStore } from '../../stores';

function Sources({ retrieval }: { retrieval: RetrievalDetail }) {
  const openChunk = useAppStore((s) => s.openChunk);
  return (
    <>
      <p className="muted">
        {retrieval.chunks.length} source{retrieval.chunks.length === 1 ? '' : 's'} from “{retrieval.corpusName}” ({retrieval.mode}, top {retrieval.k}, {retrieval.elapsedMs} ms). The answer cites them by these numbers.
      </p>
      {retrieval.note && <p className="corpus-index__note">{retrieval.note}</p>}
      <RetrievalResults chunks={retrieval.chunks} mode={retrieval.mode} question={retrieval.question} onOpen={(chunk) => openChunk({ corpusId: retrieval.corpusId, chunkId: chunk.chunkId })} />
    </>
  );
}

export function RetrieveView({ step }: { step: StepTrace }) {
  const parsed = RetrieveStepDetail.safeParse(step.detail);
  if (!parsed.success) return <p className="muted">{step.summary ?? 'The sources had not come back yet.'}</p>;
  return (
    <>
      <Sources retrieval={parsed.data} />
      <details>
        <summary>What the model was sent</summary>
        <h4>System prompt</h4>
        <pre>{parsed.data.system}</pre>
        <h4>Request</h4>
        <pre>{parsed.data.prompt}</pre>
      </details>
    </>
  );
}

export function ClarifyView({ step }: { step: StepTrace }) {
  const parsed = ClarifyStepDetail.safeParse(step.detail);
  if (!parsed.success) return <p className="muted">{step.summary ?? 'No decision yet.'}</p>;
  const d = parsed.data;
  if (d.decision === 'clear') return <p>The sources settle the question, so no follow-up question was needed.</p>;
  return (
    <>
      {d.question && (
        <div>
          <h4>Question asked</h4>
          <p>{d.question}</p>
        </div>
      )}
      {d.reply !== undefined ? (
        <div>
          <h4>Your answer</h4>
          <p>{d.reply}</p>
        </div>
      ) : (
        <p className="muted">Waiting for your answer.</p>
      )}
      {d.retrieval && (
        <div>
          <h4>Retrieved again with your answer</h4>
          <Sources retrieval={d.retrieval} />
        </div>
      )}
    </>
  );
}
