/**
 * Text generation over the Converse API: one-shot (`converse`) and streaming (`converseStream`),
 * with time to first token, total time, tokens and SDK attempts measured for every call.
 * Cancellation through an AbortSignal stops the HTTP/2 stream at once and throws 'cancelled'.
 */
import type {
  ConverseCommandInput,
  ConverseCommandOutput,
  ConverseStreamCommandInput,
  ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { DocumentType } from '@smithy/types';
import type { InferenceSettings } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import { loadSdk, type BedrockClients } from './clients';
import { cancelledError, toBedrockError, type BedrockErrorContext, type PartialOutput } from './errors';

export interface ConverseInput {
  modelId: string;
  system?: string;
  messages: { role: 'user' | 'assistant'; text: string }[];
  inference?: InferenceSettings;
  guardrail?: { id: string; version: string };
  /** Forces structured output: the model must call this tool (toolChoice: tool). */
  tool?: { name: string; description: string; inputSchema: Record<string, unknown> };
}

export interface CallMetrics {
  /** Time from the call to the first content delta; null for one-shot calls (no stream). */
  ttftMs: number | null;
  totalMs: number;
  inputTokens: number | null;
  outputTokens: number | null;
  /** HTTP attempts the SDK made (retries + 1), from `$metadata.attempts`. */
  attempts: number;
}

export interface ConverseResult {
  text: string;
  toolInput?: unknown;
  stopReason: string;
  metrics: CallMetrics;
  guardrailTrace?: unknown;
}

export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'stop'; stopReason: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number; latencyMs: number | null }
  | { type: 'guardrail'; trace: unknown }
  | { type: 'done'; metrics: CallMetrics };

export interface CallOptions {
  signal?: AbortSignal;
}

export interface TextDeps {
  clients: BedrockClients;
  now: () => number;
}

/** Builds the Converse / ConverseStream request. Pure: unit-tested. */
export function buildConverseRequest(input: ConverseInput): ConverseCommandInput & ConverseStreamCommandInput {
  if (input.messages.length === 0) {
    throw new AppError('bad_input', 'A Converse call needs at least one message.');
  }
  const inference = input.inference ?? {};
  const inferenceConfig = {
    ...(inference.maxTokens !== undefined ? { maxTokens: inference.maxTokens } : {}),
    ...(inference.temperature !== undefined ? { temperature: inference.temperature } : {}),
    ...(inference.topP !== undefined ? { topP: inference.topP } : {}),
    ...(inference.stopSequences && inference.stopSequences.length > 0 ? { stopSequences: inference.stopSequences } : {}),
  };
  return {
    modelId: input.modelId,
    messages: input.messages.map((message) => ({ role: message.role, content: [{ text: message.text }] })),
    ...(input.system ? { system: [{ text: input.system }] } : {}),
    ...(Object.keys(inferenceConfig).length > 0 ? { inferenceConfig } : {}),
    ...(input.guardrail
      ? { guardrailConfig: { guardrailIdentifier: input.guardrail.id, guardrailVersion: input.guardrail.version, trace: 'enabled' as const } }
      : {}),
    ...(input.tool
      ? {
          toolConfig: {
            tools: [
              {
                toolSpec: {
                  name: input.tool.name,
                  description: input.tool.description,
                  inputSchema: { json: input.tool.inputSchema as DocumentType },
                },
              },
            ],
            toolChoice: { tool: { name: input.tool.name } },
          },
        }
      : {}),
  };
}

/** Reads text, tool input, stop reason, usage and guardrail trace from a Converse answer. Pure. */
export function parseConverseOutput(
  output: Pick<ConverseCommandOutput, 'output' | 'stopReason' | 'usage' | 'trace'>,
  timing: { totalMs: number; attempts: number },
): ConverseResult {
  const content = output.output?.message?.content ?? [];
  let text = '';
  let toolInput: unknown;
  for (const block of content) {
    if (typeof block.text === 'string') text += block.text;
    if (block.toolUse && toolInput === undefined) toolInput = block.toolUse.input;
  }
  const result: ConverseResult = {
    text,
    stopReason: output.stopReason ?? 'end_turn',
    metrics: {
      ttftMs: null,
      totalMs: timing.totalMs,
      inputTokens: output.usage?.inputTokens ?? null,
      outputTokens: output.usage?.outputTokens ?? null,
      attempts: timing.attempts,
    },
  };
  if (toolInput !== undefined) result.toolInput = toolInput;
  if (output.trace?.guardrail !== undefined) result.guardrailTrace = output.trace.guardrail;
  return result;
}

/** The exception members of the ConverseStream union (the SDK normally throws them itself). */
const STREAM_EXCEPTIONS = [
  'internalServerException',
  'modelStreamErrorException',
  'serviceUnavailableException',
  'throttlingException',
  'validationException',
] as const;

function streamException(event: ConverseStreamOutput): Error | undefined {
  for (const key of STREAM_EXCEPTIONS) {
    const value = (event as unknown as Record<string, unknown>)[key] as { message?: string } | undefined;
    if (value) {
      const error = new Error(value.message ?? key);
      error.name = key.charAt(0).toUpperCase() + key.slice(1);
      return error;
    }
  }
  return undefined;
}

const ABORTED = Symbol('aborted');

/**
 * The event stream ended before messageStop. The SDK's HTTP/2 handler ends the body quietly
 * when its idle timeout fires, so a stall past the timeout reads as a timeout; any other early
 * end is a connection that broke off.
 */
function endedEarly(idleMs: number, timeoutMs: number): Error {
  const timedOut = idleMs >= timeoutMs * 0.9;
  const error = new Error(
    timedOut
      ? `ConverseStream: stream timed out after ${Math.round(idleMs)} ms without an event`
      : 'ConverseStream: premature close, the event stream ended before messageStop',
  );
  if (timedOut) error.name = 'TimeoutError';
  return error;
}

export function createTextService({ clients, now }: TextDeps) {
  function context(operation: string, modelId: string): BedrockErrorContext {
    const settings = clients.settings();
    return {
      operation,
      modelId,
      region: settings.region,
      endpoint: clients.endpointOf('runtime'),
      profile: settings.profile,
      timeoutMs: settings.timeoutMs,
    };
  }

  async function converse(input: ConverseInput, options: CallOptions = {}): Promise<ConverseResult> {
    const { signal } = options;
    if (signal?.aborted) throw cancelledError();
    const request = buildConverseRequest(input);
    // The SDK's code is loaded (once) before the clock starts.
    const { ConverseCommand } = await loadSdk();
    const started = now();
    try {
      const output = await (await clients.runtime()).send(new ConverseCommand(request), signal ? { abortSignal: signal } : {});
      return parseConverseOutput(output, { totalMs: now() - started, attempts: output.$metadata.attempts ?? 1 });
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      throw toBedrockError(error, context('Converse', input.modelId));
    }
  }

  async function* converseStream(input: ConverseInput, options: CallOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    const outer = options.signal;
    if (outer?.aborted) throw cancelledError();
    const request = buildConverseRequest(input);
    const { ConverseStreamCommand } = await loadSdk();
    const started = now();
    // Our own controller: aborted by the caller's signal, or by us when the consumer stops early.
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const abortedPromise = new Promise<typeof ABORTED>((resolve) => {
      controller.signal.addEventListener('abort', () => resolve(ABORTED), { once: true });
    });

    let text = '';
    let ttftMs: number | null = null;
    let inputTokens: number | null = null;
    let outputTokens: number | null = null;
    let attempts = 1;
    let finished = false;
    let stopped = false;
    // Real time, not the injected clock: the HTTP timeout it is compared with is real time.
    let lastEventAt = performance.now();
    let iterator: AsyncIterator<ConverseStreamOutput> | undefined;
    const metrics = (): CallMetrics => ({ ttftMs, totalMs: now() - started, inputTokens, outputTokens, attempts });
    const partial = (): PartialOutput => ({ text, metrics: metrics() });

    try {
      const response = await (await clients.runtime()).send(new ConverseStreamCommand(request), { abortSignal: controller.signal });
      attempts = response.$metadata.attempts ?? 1;
      if (!response.stream) throw new Error('Bedrock answered without an event stream.');
      iterator = response.stream[Symbol.asyncIterator]();
      for (;;) {
        if (controller.signal.aborted) throw cancelledError(partial());
        const pending = iterator.next();
        pending.catch(() => undefined); // if the abort wins the race, a late rejection is expected
        const next = await Promise.race([pending, abortedPromise]);
        if (next === ABORTED) throw cancelledError(partial());
        if (next.done) {
          if (!stopped) throw endedEarly(performance.now() - lastEventAt, clients.settings().timeoutMs);
          break;
        }
        lastEventAt = performance.now();
        const event = next.value;
        const failure = streamException(event);
        if (failure) throw failure;
        const delta = event.contentBlockDelta?.delta;
        if (delta) {
          ttftMs ??= now() - started;
          if (typeof delta.text === 'string' && delta.text.length > 0) {
            text += delta.text;
            yield { type: 'text', text: delta.text };
          }
        } else if (event.messageStop) {
          stopped = true;
          yield { type: 'stop', stopReason: event.messageStop.stopReason ?? 'end_turn' };
        } else if (event.metadata) {
          const usage = event.metadata.usage;
          inputTokens = usage?.inputTokens ?? null;
          outputTokens = usage?.outputTokens ?? null;
          if (usage) {
            yield {
              type: 'usage',
              inputTokens: usage.inputTokens ?? 0,
              outputTokens: usage.outputTokens ?? 0,
              latencyMs: event.metadata.metrics?.latencyMs ?? null,
            };
          }
          if (event.metadata.trace?.guardrail !== undefined) yield { type: 'guardrail', trace: event.metadata.trace.guardrail };
        }
      }
      finished = true;
      yield { type: 'done', metrics: metrics() };
    } catch (error) {
      if (controller.signal.aborted) throw cancelledError(partial());
      const mapped = toBedrockError(error, context('ConverseStream', input.modelId));
      // Failed mid-stream: keep what arrived so the caller can still show and store it.
      if (iterator) mapped.partial = partial();
      throw mapped;
    } finally {
      outer?.removeEventListener('abort', onOuterAbort);
      if (!finished && !controller.signal.aborted) controller.abort(); // consumer stopped early: close the stream
      if (!finished) iterator?.return?.().catch(() => undefined);
    }
  }

  return { converse, converseStream };
}

export type TextService = ReturnType<typeof createTextService>;
