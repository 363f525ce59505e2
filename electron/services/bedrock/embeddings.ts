/**
 * Text embeddings over InvokeModel (Titan Text Embeddings v1 and v2), one at a time or many with
 * bounded concurrency, results in input order.
 */
import { AppError } from '../../../shared/errors';
import { loadSdk, type BedrockClients } from './clients';
import { cancelledError, toBedrockError } from './errors';

export const EMBEDDING_MODELS = ['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v1'] as const;

export interface EmbedOptions {
  modelId: string;
  /** Titan v2 only: 256, 512 or 1024 (the default). */
  dimensions?: 256 | 512 | 1024;
  /** Titan v2 only: unit-length vectors (default true). */
  normalize?: boolean;
  signal?: AbortSignal;
}

export interface EmbedManyOptions extends EmbedOptions {
  /** How many calls may be in flight at once (default 4). */
  concurrency?: number;
}

export interface Embedding {
  vector: number[];
  inputTokens: number | null;
}

function baseId(modelId: string): string {
  return modelId.replace(/^.*\//, '');
}

/** The InvokeModel JSON body for one text. Pure: unit-tested. */
export function buildEmbeddingBody(text: string, options: Omit<EmbedOptions, 'signal'>): Record<string, unknown> {
  const id = baseId(options.modelId);
  if (id.startsWith('amazon.titan-embed-text-v2')) {
    return { inputText: text, dimensions: options.dimensions ?? 1024, normalize: options.normalize ?? true };
  }
  if (id.startsWith('amazon.titan-embed-text-v1') || id.startsWith('amazon.titan-embed-g1-text')) {
    return { inputText: text };
  }
  throw new AppError('bad_input', `Parallax can't embed with "${options.modelId}". Choose one of: ${EMBEDDING_MODELS.join(', ')}.`);
}

/** Reads the vector and token count from an InvokeModel answer. Pure: unit-tested. */
export function parseEmbeddingResponse(body: unknown): Embedding {
  const record = (body ?? {}) as { embedding?: unknown; inputTextTokenCount?: unknown };
  if (!Array.isArray(record.embedding) || !record.embedding.every((value) => typeof value === 'number')) {
    throw new AppError('bedrock', 'The embedding model answered without a vector.', JSON.stringify(body).slice(0, 500));
  }
  return {
    vector: record.embedding as number[],
    inputTokens: typeof record.inputTextTokenCount === 'number' ? record.inputTextTokenCount : null,
  };
}

/** Runs `task` over every item with at most `limit` in flight; results keep the input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  let failed = false;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (!failed && nextIndex < items.length) {
      const index = nextIndex++;
      try {
        results[index] = await task(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(workers);
  return results;
}

export function createEmbeddingService({ clients }: { clients: BedrockClients }) {
  async function embed(text: string, options: EmbedOptions): Promise<Embedding> {
    const { signal } = options;
    if (signal?.aborted) throw cancelledError();
    const body = buildEmbeddingBody(text, options);
    try {
      const { InvokeModelCommand } = await loadSdk();
      const output = await (await clients.runtime()).send(
        new InvokeModelCommand({ modelId: options.modelId, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) }),
        signal ? { abortSignal: signal } : {},
      );
      return parseEmbeddingResponse(JSON.parse(new TextDecoder().decode(output.body)) as unknown);
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      if (error instanceof AppError) throw error;
      const settings = clients.settings();
      throw toBedrockError(error, {
        operation: 'InvokeModel',
        modelId: options.modelId,
        region: settings.region,
        endpoint: clients.endpointOf('runtime'),
        profile: settings.profile,
        timeoutMs: settings.timeoutMs,
      });
    }
  }

  return {
    embed,
    /** Embeds every text with bounded concurrency; the first failure stops the rest and is thrown. */
    embedMany(texts: readonly string[], options: EmbedManyOptions): Promise<Embedding[]> {
      const { concurrency = 4, ...rest } = options;
      return mapBounded(texts, concurrency, (text) => embed(text, rest));
    },
  };
}

export type EmbeddingService = ReturnType<typeof createEmbeddingService>;
