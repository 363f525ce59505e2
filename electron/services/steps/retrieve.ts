/**
 * Retrieve (issue 11): finds the k closest passages of a corpus for the request's question,
 * puts them numbered [1]…[k] before the question with the grounded-answer instruction, and
 * records them as the arm's sources. Clarify (clarify.ts) may retrieve again with the user's answer.
 */
import { AppError } from '../../../shared/errors';
import { pageLabel } from '../../../shared/rag/chunk';
import { sourceId, type RetrievalDetail } from '../../../shared/rag/step-detail';
import type { RetrievalResult } from '../../../shared/rag/types';
import { GROUNDED_INSTRUCTION, sourcesBlock, type RetrieveStep } from '../../../shared/steps/kinds/retrieve';
import type { StepContext, StepRequest, StepRunner, StepSource } from './types';

/** The arm's retrieval, remembered for a later clarify step of the same arm (keyed by the arm's Stop signal). */
export interface ArmRetrieval {
  config: RetrieveStep;
  /** The user's message before sources were added. */
  question: string;
  /** The request before this step changed it. */
  before: StepRequest;
}
const retrievals = new WeakMap<AbortSignal, ArmRetrieval>();
export const armRetrieval = (signal: AbortSignal): ArmRetrieval | undefined => retrievals.get(signal);

/** The question the arm's current sources were retrieved for (a guardrail's grounding `query`), by the arm's Stop signal. */
const sourcesQuestions = new WeakMap<AbortSignal, string>();
export const sourcesQuestion = (signal: AbortSignal): string | undefined => sourcesQuestions.get(signal);
export function rememberSourcesQuestion(signal: AbortSignal, question: string): void {
  sourcesQuestions.set(signal, question);
}

export function lastUserText(request: StepRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) if (request.messages[i]!.role === 'user') return request.messages[i]!.text;
  return '';
}

export async function retrieveFor(ctx: StepContext, config: RetrieveStep, question: string): Promise<RetrievalResult> {
  const corpora = ctx.env.corpora;
  if (!corpora) throw new AppError('unavailable', 'Retrieval is not available in this part of Parallax.');
  return corpora.retrieve({ corpusId: config.corpusId, question, mode: config.mode, k: config.k, signal: ctx.signal });
}

export function toSources(result: RetrievalResult): StepSource[] {
  return result.chunks.map((chunk) => {
    const page = pageLabel(chunk.pageStart, chunk.pageEnd);
    return { id: sourceId(chunk.chunkId), title: `${chunk.documentName}${page ? `, ${page}` : ''}`, text: chunk.text };
  });
}

export function toDetail(result: RetrievalResult): RetrievalDetail {
  return { corpusId: result.corpusId, corpusName: result.corpusName, question: result.question, mode: result.mode, k: result.k, terms: result.terms, chunks: result.chunks, note: result.note, elapsedMs: result.elapsedMs };
}

/** The request with the sources in front of the question and the grounded instruction in the system prompt. */
export function groundedRequest(before: StepRequest, config: RetrieveStep, sources: readonly StepSource[], question: string): StepRequest {
  const instruction = config.instruction.trim() || GROUNDED_INSTRUCTION;
  const block = sourcesBlock(sources.map((source, index) => ({ n: index + 1, title: source.title, text: source.text })));
  const messages = [...before.messages];
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') { last = i; break; }
  const text = `${block}\n\nQuestion: ${question}`;
  if (last >= 0) messages[last] = { ...messages[last]!, text };
  else messages.push({ role: 'user', text });
  return { ...before, system: before.system.trim() ? `${before.system.trim()}\n\n${instruction}` : instruction, messages };
}

export const retrieveStep: StepRunner<RetrieveStep> = {
  kind: 'retrieve',
  label: (config) => `Retrieve ${config.k} (${config.mode})`,
  async run(config, ctx) {
    const before = ctx.request;
    const question = lastUserText(before);
    if (!question.trim()) throw new AppError('bad_input', 'The request has no question to retrieve sources for.');
    const result = await retrieveFor(ctx, config, question);
    const sources = toSources(result);
    ctx.sources = sources;
    ctx.request = groundedRequest(before, config, sources, question);
    retrievals.set(ctx.signal, { config, question, before });
    rememberSourcesQuestion(ctx.signal, question);
    ctx.setDetail(
      { ...toDetail(result), system: ctx.request.system, prompt: lastUserText(ctx.request) },
      `${sources.length} source${sources.length === 1 ? '' : 's'} from “${result.corpusName}”${result.note ? ' (see note)' : ''}`,
    );
    return { status: 'done' };
  },
};
