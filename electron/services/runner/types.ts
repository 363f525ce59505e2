/**
 * What the runner needs from the Bedrock service (electron/services/bedrock), as a structural
 * type: the runner takes any object with this shape, so tests can hand it a scripted model and
 * the app hands it `services.bedrock`.
 */
import type { InferenceSettings } from '../../../shared/domain';
import type { PayloadOf, EventName } from '../../../shared/ipc';

export interface RunnerConverseInput {
  modelId: string;
  system?: string;
  messages: { role: 'user' | 'assistant'; text: string }[];
  inference?: InferenceSettings;
  /** Forces a structured reply (Converse tool use): critique steps. */
  tool?: { name: string; description: string; inputSchema: Record<string, unknown> };
}

export type RunnerStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'stop'; stopReason: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number; latencyMs?: number | null }
  | { type: 'guardrail'; trace: unknown }
  | { type: 'done'; metrics: { ttftMs: number | null; totalMs: number; inputTokens: number | null; outputTokens: number | null; attempts?: number } };

export interface StreamingModel {
  converseStream(input: RunnerConverseInput, options?: { signal?: AbortSignal }): AsyncIterable<RunnerStreamEvent>;
}

export interface TextModel {
  converse(
    input: RunnerConverseInput,
    options?: { signal?: AbortSignal },
  ): Promise<{
    text: string;
    toolInput?: unknown;
    stopReason?: string | null;
    usage?: { inputTokens: number; outputTokens: number };
    metrics?: { inputTokens: number | null; outputTokens: number | null };
  }>;
}

/** Where run events go: the handler table's emit (webContents.send in the app). */
export type RunSink = <E extends EventName>(event: E, payload: PayloadOf<E>) => void;
