/** What a Converse / ConverseStream answer says, and how it looks in each response form. */
import { randomUUID } from 'node:crypto';
import { eventFrame } from './event-stream';
import { countTokens } from './request-text';
import type { FakeReply } from './types';

export interface Script {
  /** The text, already cut into delta chunks. */
  chunks: string[];
  toolUse?: { toolUseId: string; name: string; input: unknown };
  stopReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  guardrailTrace?: unknown;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Cuts text into chunks of `wordsPerChunk` words, each word keeping the spaces and punctuation
 * after it. Word boundaries come from ICU, so CJK text splits into words and no chunk ever
 * splits a surrogate pair or a grapheme.
 */
export function chunkText(text: string, wordsPerChunk = 1): string[] {
  const perChunk = Math.max(1, Math.floor(wordsPerChunk));
  const chunks: string[] = [];
  let current = '';
  let words = 0;
  for (const piece of pieces(text)) {
    for (const { segment, isWordLike } of segmenter.segment(piece)) {
      if (isWordLike && words === perChunk) {
        chunks.push(current);
        current = '';
        words = 0;
      }
      current += segment;
      if (isWordLike) words += 1;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/**
 * ICU's word iterator gets slower with the length of the text it walks (a 112 KB answer took
 * 10 s, a 600 KB one minutes), so long answers are segmented in pieces of about 2 KB, each cut
 * just after a whitespace character (always a word boundary).
 */
function* pieces(text: string): Generator<string> {
  const size = 2048;
  let start = 0;
  while (text.length - start > size) {
    let cut = start + size;
    while (cut < text.length && !/\s/.test(text[cut - 1]!)) cut += 1;
    yield text.slice(start, cut);
    start = cut;
  }
  if (start < text.length) yield text.slice(start);
}

export function scriptFor(reply: FakeReply | undefined, defaultText: string, promptText: string, wordsPerChunk?: number): Script {
  const text = reply?.text ?? (reply?.toolUse ? '' : defaultText);
  const chunks = chunkText(text, wordsPerChunk);
  const toolUse = reply?.toolUse && { toolUseId: `tooluse_${randomUUID().replace(/-/g, '').slice(0, 22)}`, ...reply.toolUse };
  const inputTokens = reply?.usage?.inputTokens ?? countTokens(promptText);
  const outputTokens = reply?.usage?.outputTokens ?? chunks.length + (toolUse ? 1 : 0);
  return {
    chunks,
    toolUse,
    stopReason: reply?.stopReason ?? (toolUse ? 'tool_use' : 'end_turn'),
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    guardrailTrace: reply?.guardrailTrace,
  };
}

function traceOf(script: Script): { trace?: { guardrail: unknown } } {
  return script.guardrailTrace === undefined ? {} : { trace: { guardrail: script.guardrailTrace } };
}

/** The Converse response body. */
export function converseBody(script: Script, latencyMs: number): unknown {
  const text = script.chunks.join('');
  const content = [...(text || !script.toolUse ? [{ text }] : []), ...(script.toolUse ? [{ toolUse: script.toolUse }] : [])];
  return {
    output: { message: { role: 'assistant', content } },
    stopReason: script.stopReason,
    usage: script.usage,
    metrics: { latencyMs },
    ...traceOf(script),
  };
}

/** The ConverseStream frames, grouped so the writer can pace the text and cut in anywhere. */
export interface StreamFrames {
  start: Uint8Array;
  textChunks: Uint8Array[];
  /** Everything after the text: its contentBlockStop, the tool-use block, messageStop. */
  rest: Uint8Array[];
  /** Built last, so that its latency covers the whole stream. */
  metadata(latencyMs: number): Uint8Array;
}

export function streamFrames(script: Script): StreamFrames {
  const rest: Uint8Array[] = [];
  if (script.chunks.length > 0) rest.push(eventFrame('contentBlockStop', { contentBlockIndex: 0 }));
  if (script.toolUse) {
    const contentBlockIndex = script.chunks.length > 0 ? 1 : 0;
    const { toolUseId, name, input } = script.toolUse;
    rest.push(
      eventFrame('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId, name } } }),
      eventFrame('contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input: JSON.stringify(input ?? {}) } } }),
      eventFrame('contentBlockStop', { contentBlockIndex }),
    );
  }
  rest.push(eventFrame('messageStop', { stopReason: script.stopReason }));
  return {
    start: eventFrame('messageStart', { role: 'assistant' }),
    textChunks: script.chunks.map((text) => eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
    rest,
    metadata: (latencyMs) => eventFrame('metadata', { usage: script.usage, metrics: { latencyMs }, ...traceOf(script) }),
  };
}
