import {
  ApplyGuardrailCommand,
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { BedrockClient, ListFoundationModelsCommand, ListGuardrailsCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REPLY, FAKE_GUARDRAIL_ID, TINY_PNG_BASE64, pngSize, startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let fake: FakeBedrock;
let runtime: BedrockRuntimeClient;
let control: BedrockClient;

function clientConfig() {
  return { region: 'us-east-1', endpoint: fake.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

function user(text: string): Message[] {
  return [{ role: 'user', content: [{ text }] }];
}

type EventName = keyof Omit<ConverseStreamOutput, '$unknown'>;

/** Reads a ConverseStream to the end (or to its error), keeping what arrived. */
async function readStream(
  stream: AsyncIterable<ConverseStreamOutput> | undefined,
  onEvent: (event: ConverseStreamOutput, deltas: number) => void = () => undefined,
): Promise<{ events: ConverseStreamOutput[]; names: EventName[]; text: string; deltas: number; error?: unknown }> {
  const events: ConverseStreamOutput[] = [];
  let text = '';
  let deltas = 0;
  let error: unknown;
  try {
    for await (const event of stream ?? []) {
      events.push(event);
      if (event.contentBlockDelta?.delta?.text !== undefined) {
        text += event.contentBlockDelta.delta.text;
        deltas += 1;
      }
      onEvent(event, deltas);
    }
  } catch (caught) {
    error = caught;
  }
  const names = events.map((event) => Object.keys(event).find((key) => key !== '$unknown') as EventName);
  return { events, names, text, deltas, error };
}

function invoke(modelId: string, body: unknown) {
  return runtime.send(new InvokeModelCommand({ modelId, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) }));
}

function decodeJson(bytes: Uint8Array): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

function expectPng(base64: string, size?: { width: number; height: number }): void {
  const bytes = Buffer.from(base64, 'base64');
  expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  if (size) expect(pngSize(bytes)).toEqual(size);
}

async function waitFor(check: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  fake = await startFakeBedrock();
  runtime = new BedrockRuntimeClient(clientConfig());
  control = new BedrockClient(clientConfig());
});

afterAll(async () => {
  runtime?.destroy();
  control?.destroy();
  await fake?.close();
});

beforeEach(() => fake.reset());

describe('Converse', () => {
  it('answers with the scripted default and logs the decoded request', async () => {
    const response = await runtime.send(new ConverseCommand({ modelId: HAIKU, system: [{ text: 'Be brief.' }], messages: user('Say hello to the team') }));

    expect(response.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
    expect(response.stopReason).toBe('end_turn');
    expect(response.usage).toEqual({ inputTokens: 7, outputTokens: 10, totalTokens: 17 }); // 2 + 5 prompt words, 10 reply words
    expect(response.metrics?.latencyMs).toEqual(expect.any(Number));
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ operation: 'Converse', modelId: HAIKU, method: 'POST', path: `/model/${encodeURIComponent(HAIKU)}/converse`, closedByClient: false });
    expect(fake.requests[0]?.body.messages[0].content[0].text).toBe('Say hello to the team');
  });

  it('matches rules by model and by prompt, first match wins, times runs out', async () => {
    fake.on({ model: 'nova', reply: { text: 'from nova rule' } });
    fake.on({ prompt: /secret \d+/, times: 1, reply: { text: 'from prompt rule', stopReason: 'max_tokens', usage: { inputTokens: 1, outputTokens: 2 } } });

    const nova = await runtime.send(new ConverseCommand({ modelId: NOVA, messages: user('secret 42') }));
    const prompted = await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: user('tell me secret 42') }));
    const spent = await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: user('tell me secret 42') }));

    expect(nova.output?.message?.content?.[0]?.text).toBe('from nova rule');
    expect(prompted.output?.message?.content?.[0]?.text).toBe('from prompt rule');
    expect(prompted.stopReason).toBe('max_tokens');
    expect(prompted.usage).toEqual({ inputTokens: 1, outputTokens: 2, totalTokens: 3 });
    expect(spent.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
  });

  it('replies with a tool use block when a rule says so', async () => {
    fake.on({ operation: 'Converse', reply: { toolUse: { name: 'get_weather', input: { city: 'Paris' } } } });

    const response = await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: user('weather?') }));

    expect(response.stopReason).toBe('tool_use');
    expect(response.output?.message?.content?.[0]?.toolUse).toMatchObject({ name: 'get_weather', input: { city: 'Paris' }, toolUseId: expect.stringMatching(/^tooluse_/) });
  });

  it('retries 429 twice, then succeeds on the third attempt', async () => {
    fake.on({ operation: 'Converse', times: 2, error: { status: 429, type: 'ThrottlingException', message: 'Too many requests' } });

    const response = await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: user('hi') }));

    expect(response.$metadata.attempts).toBe(3);
    expect(response.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
    expect(fake.requests).toHaveLength(3);
  });

  it('surfaces a 400 as the SDK ValidationException with its message, without retrying', async () => {
    fake.on({ error: { status: 400, type: 'ValidationException', message: 'The provided model identifier is invalid.' } });

    const error = await runtime.send(new ConverseCommand({ modelId: 'no.such-model', messages: user('hi') })).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).message).toBe('The provided model identifier is invalid.');
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
    expect((error as ValidationException).$metadata.attempts).toBe(1);
  });

  it('drops the connection: the SDK rejects with a network error, not a service error', async () => {
    fake.on({ operation: 'Converse', drop: {} });

    const error = await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: user('hi') })).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect((error as { $fault?: string }).$fault).toBeUndefined();
    expect((error as Error).message).toMatch(/NGHTTP2_INTERNAL_ERROR/);
  });
});

describe('ConverseStream', () => {
  it('streams messageStart, word deltas, contentBlockStop, messageStop, metadata', async () => {
    const response = await runtime.send(new ConverseStreamCommand({ modelId: NOVA, messages: user('one two three') }));
    const { names, text, deltas, events, error } = await readStream(response.stream);

    expect(error).toBeUndefined();
    expect(text).toBe(DEFAULT_REPLY);
    expect(deltas).toBe(10);
    expect(names).toEqual(['messageStart', ...Array<EventName>(10).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata']);
    expect(events.at(-2)?.messageStop?.stopReason).toBe('end_turn');
    expect(events.at(-1)?.metadata?.usage).toEqual({ inputTokens: 3, outputTokens: 10, totalTokens: 13 });
    expect(events.at(-1)?.metadata?.metrics?.latencyMs).toEqual(expect.any(Number));
  });

  it('keeps emoji, CJK and RTL text intact across chunks', async () => {
    const reply = 'Grüße 👋🏽 世界你好！ مرحبا بالعالم — שלום עולם 🇫🇷 fin.';
    fake.on({ prompt: 'unicode ✓', reply: { text: reply } });

    const response = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: user('unicode ✓ please') }));
    const chunks: string[] = [];
    const { text } = await readStream(response.stream, (event) => {
      if (event.contentBlockDelta?.delta?.text) chunks.push(event.contentBlockDelta.delta.text);
    });

    expect(text).toBe(reply);
    // one word per chunk (ICU word boundaries), emoji and punctuation ride with the word before
    expect(chunks).toEqual(['Grüße 👋🏽 ', '世界', '你好！ ', 'مرحبا ', 'بالعالم — ', 'שלום ', 'עולם 🇫🇷 ', 'fin.']);
  });

  it('streams a tool use block after the text', async () => {
    fake.on({ operation: 'ConverseStream', reply: { text: 'Let me check.', toolUse: { name: 'lookup', input: { q: 'x' } } } });

    const response = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: user('look it up') }));
    const { events, text } = await readStream(response.stream);

    expect(text).toBe('Let me check.');
    expect(events.find((event) => event.contentBlockStart)?.contentBlockStart).toMatchObject({ contentBlockIndex: 1, start: { toolUse: { name: 'lookup' } } });
    const input = events.find((event) => event.contentBlockDelta?.delta?.toolUse)?.contentBlockDelta?.delta?.toolUse?.input;
    expect(JSON.parse(input ?? 'null')).toEqual({ q: 'x' });
    expect(events.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('throws the SDK ThrottlingException after the earlier deltas when an exception event arrives', async () => {
    fake.on({ operation: 'ConverseStream', streamError: { afterChunks: 3, type: 'throttlingException', message: 'Slow down mid-stream' } });

    const response = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: user('hi') }));
    const { text, deltas, error, names } = await readStream(response.stream);

    expect(deltas).toBe(3);
    expect(text).toBe('This is a ');
    expect(names).not.toContain('messageStop');
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).message).toBe('Slow down mid-stream');
  });

  it('drops the connection mid-stream: the loop throws after the earlier deltas', async () => {
    fake.on({ operation: 'ConverseStream', drop: { afterChunks: 2 } });

    const response = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: user('hi') }));
    const { deltas, error } = await readStream(response.stream);

    expect(deltas).toBe(2);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/NGHTTP2_INTERNAL_ERROR/);
    expect(fake.requests[0]?.closedByClient).toBe(false);
  });

  it('honours the pace: first token after firstTokenMs, then tokensPerSecond', async () => {
    fake.setDefaultPace({ firstTokenMs: 150, tokensPerSecond: 100, wordsPerChunk: 2 });
    const started = performance.now();
    const arrivals: number[] = [];

    const response = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: user('hi') }));
    const { text, deltas } = await readStream(response.stream, (event) => {
      if (event.contentBlockDelta) arrivals.push(performance.now() - started);
    });

    expect(text).toBe(DEFAULT_REPLY);
    expect(deltas).toBe(5); // 10 words, 2 per chunk
    expect(arrivals[0]).toBeGreaterThanOrEqual(145);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(35); // 4 gaps of 10 ms
    expect(arrivals.at(-1)).toBeLessThan(2000);
  });

  it('an AbortController mid-stream resets the stream: logged as closedByClient, no stream left open', async () => {
    fake.setDefaultPace({ tokensPerSecond: 20 });
    const controller = new AbortController();

    const response = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: user('hi') }), { abortSignal: controller.signal });
    const { deltas } = await readStream(response.stream, (_event, seen) => {
      if (seen === 2) controller.abort();
    });

    expect(deltas).toBe(2);
    await waitFor(() => fake.openStreams() === 0);
    expect(fake.requests[0]?.closedByClient).toBe(true);
  });

  it('an abort while Converse waits for its first token cancels the wait and is logged', async () => {
    fake.on({ operation: 'Converse', pace: { firstTokenMs: 5000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const started = Date.now();
    const error = await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: user('hi') }), { abortSignal: controller.signal }).catch((caught: unknown) => caught);

    expect((error as Error).name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(() => fake.openStreams() === 0 && fake.requests[0]?.closedByClient === true);
  });

  it('serves many concurrent streams', async () => {
    fake.setDefaultPace({ tokensPerSecond: 200 });

    const texts = await Promise.all(
      Array.from({ length: 16 }, async (_, index) => {
        fake.on({ prompt: `stream #${index}.`, times: 1, reply: { text: `reply number ${index} done` } });
        const response = await runtime.send(new ConverseStreamCommand({ modelId: HAIKU, messages: user(`stream #${index}.`) }));
        return (await readStream(response.stream)).text;
      }),
    );

    expect(texts).toEqual(Array.from({ length: 16 }, (_, index) => `reply number ${index} done`));
    await waitFor(() => fake.openStreams() === 0);
  });

  it('also speaks HTTP/1.1 to a client given a NodeHttpHandler', async () => {
    const http1 = new BedrockRuntimeClient({ ...clientConfig(), requestHandler: new NodeHttpHandler() });
    try {
      const response = await http1.send(new ConverseStreamCommand({ modelId: HAIKU, messages: user('hi') }));
      const { text, deltas } = await readStream(response.stream);
      expect(text).toBe(DEFAULT_REPLY);
      expect(deltas).toBe(10);
    } finally {
      http1.destroy();
    }
  });
});

describe('InvokeModel', () => {
  it('returns PNGs in each image model family shape', async () => {
    const sdxl = decodeJson((await invoke('stability.stable-diffusion-xl-v1', { text_prompts: [{ text: 'a cat', weight: 1 }], samples: 2, width: 64, height: 32, seed: 7 })).body);
    expect(sdxl.result).toBe('success');
    const artifacts = sdxl.artifacts as { seed: number; base64: string; finishReason: string }[];
    expect(artifacts.map((artifact) => [artifact.seed, artifact.finishReason])).toEqual([[7, 'SUCCESS'], [8, 'SUCCESS']]);
    for (const artifact of artifacts) expectPng(artifact.base64, { width: 64, height: 32 });

    for (const modelId of ['amazon.titan-image-generator-v1', 'amazon.titan-image-generator-v2:0', 'amazon.nova-canvas-v1:0']) {
      const body = decodeJson(
        (await invoke(modelId, { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'a cat' }, imageGenerationConfig: { numberOfImages: 2, width: 48, height: 40 } })).body,
      );
      const images = body.images as string[];
      expect(images, modelId).toHaveLength(2);
      for (const image of images) expectPng(image, { width: 48, height: 40 });
    }
    expectPng(TINY_PNG_BASE64, { width: 1, height: 1 });
    expect(fake.requests.map((request) => request.modelId)).toEqual(['stability.stable-diffusion-xl-v1', 'amazon.titan-image-generator-v1', 'amazon.titan-image-generator-v2:0', 'amazon.nova-canvas-v1:0']);
  });

  it('returns deterministic embeddings of the requested dimensions', async () => {
    const embed = async (modelId: string, body: Record<string, unknown>) => decodeJson((await invoke(modelId, body)).body) as { embedding: number[]; inputTextTokenCount: number };
    const small = await embed('amazon.titan-embed-text-v2:0', { inputText: 'the quick brown fox', dimensions: 256, normalize: true });
    const again = await embed('amazon.titan-embed-text-v2:0', { inputText: 'the quick brown fox', dimensions: 256, normalize: true });
    const other = await embed('amazon.titan-embed-text-v2:0', { inputText: 'a lazy dog', dimensions: 256, normalize: true });
    const byDefault = await embed('amazon.titan-embed-text-v2:0', { inputText: 'the quick brown fox' });
    const v1 = await embed('amazon.titan-embed-text-v1', { inputText: 'the quick brown fox' });

    expect(small.embedding).toHaveLength(256);
    expect(Math.hypot(...small.embedding)).toBeCloseTo(1, 6);
    expect(again.embedding).toEqual(small.embedding);
    expect(other.embedding).not.toEqual(small.embedding);
    expect(small.inputTextTokenCount).toBe(4);
    expect(byDefault.embedding).toHaveLength(1024);
    expect(v1.embedding).toHaveLength(1536);
  });

  it('returns a rule body as is', async () => {
    fake.on({ operation: 'InvokeModel', model: 'titan-embed', body: { embedding: [1, 2, 3], inputTextTokenCount: 9 } });

    const body = decodeJson((await invoke('amazon.titan-embed-text-v2:0', { inputText: 'x' })).body);

    expect(body).toEqual({ embedding: [1, 2, 3], inputTextTokenCount: 9 });
  });
});

describe('ApplyGuardrail', () => {
  it('passes content by default and takes a scripted intervention', async () => {
    const content = [{ text: { text: 'hello there' } }];
    const passed = await runtime.send(new ApplyGuardrailCommand({ guardrailIdentifier: FAKE_GUARDRAIL_ID, guardrailVersion: 'DRAFT', source: 'INPUT', content }));
    fake.on({ operation: 'ApplyGuardrail', prompt: 'idiot', body: { action: 'GUARDRAIL_INTERVENED', outputs: [{ text: 'Blocked.' }], assessments: [{ contentPolicy: { filters: [{ type: 'INSULTS', confidence: 'HIGH', action: 'BLOCKED' }] } }] } });
    const blocked = await runtime.send(new ApplyGuardrailCommand({ guardrailIdentifier: FAKE_GUARDRAIL_ID, guardrailVersion: '1', source: 'INPUT', content: [{ text: { text: 'you idiot' } }] }));

    expect(passed.action).toBe('NONE');
    expect(passed.outputs).toEqual([]);
    expect(passed.assessments).toHaveLength(1);
    expect(blocked.action).toBe('GUARDRAIL_INTERVENED');
    expect(blocked.assessments?.[0]?.contentPolicy?.filters?.[0]?.type).toBe('INSULTS');
    expect(fake.requests.map((request) => [request.operation, request.guardrailId, request.guardrailVersion])).toEqual([
      ['ApplyGuardrail', FAKE_GUARDRAIL_ID, 'DRAFT'],
      ['ApplyGuardrail', FAKE_GUARDRAIL_ID, '1'],
    ]);
  });
});

describe('control plane (BedrockClient)', () => {
  it('lists foundation models, inference profiles and guardrails', async () => {
    const models = await control.send(new ListFoundationModelsCommand({}));
    const imageModels = await control.send(new ListFoundationModelsCommand({ byOutputModality: 'IMAGE' }));
    const profiles = await control.send(new ListInferenceProfilesCommand({}));
    const guardrails = await control.send(new ListGuardrailsCommand({}));

    expect(models.modelSummaries?.map((model) => model.modelId)).toEqual(
      expect.arrayContaining([HAIKU, NOVA, 'meta.llama3-8b-instruct-v1:0', 'amazon.nova-canvas-v1:0', 'amazon.titan-embed-text-v2:0']),
    );
    expect(imageModels.modelSummaries?.map((model) => model.modelId).sort()).toEqual(
      ['amazon.nova-canvas-v1:0', 'amazon.titan-image-generator-v1', 'amazon.titan-image-generator-v2:0', 'stability.stable-diffusion-xl-v1'],
    );
    expect(profiles.inferenceProfileSummaries?.[0]?.inferenceProfileId).toBe(`us.${HAIKU}`);
    expect(profiles.inferenceProfileSummaries?.[0]?.createdAt).toBeInstanceOf(Date);
    expect(guardrails.guardrails?.[0]).toMatchObject({ id: FAKE_GUARDRAIL_ID, version: 'DRAFT', status: 'READY' });
    expect(fake.requests.map((request) => request.operation)).toEqual(['ListFoundationModels', 'ListFoundationModels', 'ListInferenceProfiles', 'ListGuardrails']);
  });
});

describe('the server itself', () => {
  it('answers an unknown path with 404 UnknownOperationException', async () => {
    const response = await fetch(`${fake.endpoint}/model/x/invoke-with-something`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(((await response.json()) as { message: string }).message).toMatch(/invoke-with-something/);
  });

  it('rejects a rule with two outcomes, and reset() forgets rules and requests', async () => {
    expect(() => fake.on({ reply: { text: 'a' }, error: { status: 500, type: 'InternalServerException', message: 'b' } })).toThrow(/exactly one outcome/);
    fake.on({ reply: { text: 'forgotten' } });
    await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: user('hi') }));
    fake.reset();

    const response = await runtime.send(new ConverseCommand({ modelId: HAIKU, messages: user('hi') }));

    expect(response.output?.message?.content?.[0]?.text).toBe(DEFAULT_REPLY);
    expect(fake.requests).toHaveLength(1);
  });
});
