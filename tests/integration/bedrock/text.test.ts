/** Converse and ConverseStream through the real AWS SDK (HTTP/2) against the fake Bedrock server. */
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../electron/services/bedrock';
import { BedrockError } from '../../../electron/services/bedrock';
import { collect, waitFor } from '../../support/async';
import { DEFAULT_REPLY } from '../../support/fake-bedrock';
import { createStack, useStackAgainstFake } from './setup';

const MODEL = 'amazon.nova-lite-v1:0';
const user = (text: string) => [{ role: 'user' as const, text }];

const ctx = useStackAgainstFake({ region: 'us-east-1', maxAttempts: 3 });

function texts(events: StreamEvent[]): string {
  return events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('');
}

describe('converseStream', () => {
  it('yields text deltas in order, then stop, usage and done with metrics', async () => {
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'One two three four five.', usage: { inputTokens: 12, outputTokens: 5 } } });
    const events = await collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('Count to five') }));

    expect(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text)).toEqual(['One ', 'two ', 'three ', 'four ', 'five.']);
    expect(events.slice(-3).map((e) => e.type)).toEqual(['stop', 'usage', 'done']);
    expect(events.at(-3)).toEqual({ type: 'stop', stopReason: 'end_turn' });
    expect(events.at(-2)).toMatchObject({ type: 'usage', inputTokens: 12, outputTokens: 5 });
    const done = events.at(-1) as Extract<StreamEvent, { type: 'done' }>;
    expect(done.metrics).toMatchObject({ inputTokens: 12, outputTokens: 5, attempts: 1 });
    expect(done.metrics.ttftMs).not.toBeNull();
    expect(done.metrics.totalMs).toBeGreaterThanOrEqual(done.metrics.ttftMs!);
  });

  it('sends the system prompt, history, inference settings and guardrail as Converse expects', async () => {
    await collect(
      ctx.stack.bedrock.converseStream({
        modelId: 'us.anthropic.claude-3-haiku-20240307-v1:0',
        system: 'Be brief.',
        messages: [
          { role: 'user', text: 'Hi' },
          { role: 'assistant', text: 'Hello!' },
          { role: 'user', text: 'And now?' },
        ],
        inference: { temperature: 0.2, topP: 0.9, maxTokens: 300, stopSequences: ['END'] },
        guardrail: { id: 'gr-123', version: '2' },
      }),
    );
    const request = ctx.fake.requests.at(-1)!;
    expect(request.operation).toBe('ConverseStream');
    expect(request.modelId).toBe('us.anthropic.claude-3-haiku-20240307-v1:0');
    expect(request.body).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello!' }] },
        { role: 'user', content: [{ text: 'And now?' }] },
      ],
      inferenceConfig: { maxTokens: 300, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      guardrailConfig: { guardrailIdentifier: 'gr-123', guardrailVersion: '2', trace: 'enabled' },
    });
  });

  it('keeps unicode intact: emoji, combining marks, CJK and right-to-left text', async () => {
    const text = 'Grüße 👩‍👩‍👧‍👦 and é (e\u0301) — 日本語のテキスト, مرحبا بالعالم, 🇺🇳 done.';
    ctx.fake.on({ operation: 'ConverseStream', reply: { text } });
    const events = await collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('unicode please: ✓') }));
    expect(texts(events)).toBe(text);
    expect(ctx.fake.requests.at(-1)!.body.messages[0].content[0].text).toBe('unicode please: ✓');
  });

  it('streams a long output (5,000 words) completely and in order', async () => {
    const words = Array.from({ length: 5_000 }, (_, i) => `w${i}`);
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: words.join(' ') } });
    const events = await collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('long') }));
    expect(texts(events)).toBe(words.join(' '));
    expect(events.filter((e) => e.type === 'text')).toHaveLength(5_000);
  });

  it('surfaces the guardrail trace from the metadata event', async () => {
    const trace = { inputAssessment: { 'gr-1': { contentPolicy: { filters: [{ type: 'HATE', confidence: 'HIGH', action: 'BLOCKED' }] } } } };
    ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'Sorry, I cannot help with that.', stopReason: 'guardrail_intervened', guardrailTrace: trace } });
    const events = await collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('x'), guardrail: { id: 'gr-1', version: 'DRAFT' } }));
    expect(events.find((e) => e.type === 'stop')).toEqual({ type: 'stop', stopReason: 'guardrail_intervened' });
    expect(events.find((e) => e.type === 'guardrail')).toEqual({ type: 'guardrail', trace });
  });

  it('measures time to first token and total time with the injected clock', async () => {
    let tick = 0;
    const clocked = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint }, { now: () => (tick += 10) });
    try {
      const events = await collect(clocked.bedrock.converseStream({ modelId: MODEL, messages: user('time me') }));
      const done = events.at(-1) as Extract<StreamEvent, { type: 'done' }>;
      // started = 10, first delta = 20, done = 30 (one clock read each).
      expect(done.metrics.ttftMs).toBe(10);
      expect(done.metrics.totalMs).toBe(20);
    } finally {
      clocked.close();
    }
  });

  it('cancel mid-stream closes the HTTP/2 stream at once and keeps a usable partial result', async () => {
    ctx.fake.setDefaultPace({ tokensPerSecond: 50 });
    const controller = new AbortController();
    const received: string[] = [];
    let caught: unknown;
    try {
      for await (const event of ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('slow one') }, { signal: controller.signal })) {
        if (event.type === 'text') received.push(event.text);
        if (received.length === 3) controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BedrockError);
    const error = caught as BedrockError;
    expect(error.code).toBe('cancelled');
    expect(error.partial?.text).toBe(received.join(''));
    expect(error.partial?.text).toBe('This is a ');
    expect(error.partial?.metrics.ttftMs).not.toBeNull();
    await waitFor(() => ctx.fake.openStreams() === 0);
    expect(ctx.fake.requests.at(-1)!.closedByClient).toBe(true);

    // The service is still usable afterwards.
    ctx.fake.setDefaultPace({});
    const again = await collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('again') }));
    expect(texts(again)).toBe(DEFAULT_REPLY);
  });

  it('stopping one of several answers streaming at once leaves the others to finish whole', async () => {
    ctx.fake.setDefaultPace({ tokensPerSecond: 100 });
    const controller = new AbortController();
    const stopped = (async () => {
      const received: string[] = [];
      try {
        for await (const event of ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('stop me') }, { signal: controller.signal })) {
          if (event.type === 'text') received.push(event.text);
          if (received.length === 2) controller.abort();
        }
      } catch (error) {
        return error;
      }
      return null;
    })();
    const others = [1, 2, 3].map((n) => collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user(`keep ${n}`) })));
    const [error, ...answers] = await Promise.all([stopped, ...others]);
    expect(error).toMatchObject({ code: 'cancelled' });
    for (const events of answers) {
      expect(texts(events)).toBe(DEFAULT_REPLY);
      expect(events.at(-1)!.type).toBe('done');
    }
    await waitFor(() => ctx.fake.openStreams() === 0);
    expect(ctx.fake.requests.filter((r) => r.closedByClient).map((r) => r.body.messages[0].content[0].text)).toEqual(['stop me']);
  });

  it('an abort while waiting for the first token cancels at once', async () => {
    ctx.fake.on({ operation: 'ConverseStream', pace: { firstTokenMs: 5_000 } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await expect(collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('wait') }, { signal: controller.signal }))).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor(() => ctx.fake.openStreams() === 0);
    expect(ctx.fake.requests.at(-1)!.closedByClient).toBe(true);
  });

  it('a consumer that stops reading early closes the stream too', async () => {
    ctx.fake.setDefaultPace({ tokensPerSecond: 50 });
    for await (const event of ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('stop early') })) {
      if (event.type === 'text') break;
    }
    await waitFor(() => ctx.fake.openStreams() === 0);
    expect(ctx.fake.requests.at(-1)!.closedByClient).toBe(true);
  });

  it('an already-aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('x') }, { signal: controller.signal }))).rejects.toMatchObject({ code: 'cancelled' });
    await expect(ctx.stack.bedrock.converse({ modelId: MODEL, messages: user('x') }, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    expect(ctx.fake.requests).toHaveLength(0);
  });

  it('an error mid-stream is mapped and keeps the partial text', async () => {
    ctx.fake.on({ operation: 'ConverseStream', streamError: { afterChunks: 2, type: 'modelStreamErrorException', message: 'The model stopped unexpectedly.' } });
    let caught: unknown;
    const received: StreamEvent[] = [];
    try {
      for await (const event of ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('x') })) received.push(event);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BedrockError);
    const error = caught as BedrockError;
    expect(error.code).toBe('bedrock');
    expect(error.kind).toBe('service');
    expect(error.message).toContain('The model stopped unexpectedly.');
    expect(error.partial?.text).toBe('This is ');
    expect(texts(received)).toBe('This is ');
  });

  it('a dropped connection mid-stream is reported as a broken connection with the partial text', async () => {
    ctx.fake.on({ operation: 'ConverseStream', drop: { afterChunks: 2 } });
    const error = (await collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('x') })).catch((e: unknown) => e)) as BedrockError;
    expect(error).toBeInstanceOf(BedrockError);
    expect(error.code).toBe('bedrock');
    expect(error.kind).toBe('offline');
    expect(error.partial?.text).toBe('This is ');
  });
});

describe('converse', () => {
  it('returns text, stop reason, tokens and attempts', async () => {
    ctx.fake.on({ operation: 'Converse', reply: { text: 'Plain answer.', usage: { inputTokens: 7, outputTokens: 3 } } });
    const result = await ctx.stack.bedrock.converse({ modelId: MODEL, messages: user('q') });
    expect(result).toMatchObject({ text: 'Plain answer.', stopReason: 'end_turn', metrics: { inputTokens: 7, outputTokens: 3, attempts: 1, ttftMs: null } });
    expect(result.metrics.totalMs).toBeGreaterThanOrEqual(0);
  });

  it('forces structured output through a tool and returns its input', async () => {
    const input = { verdict: 'biased', score: 0.82, reasons: ['stereotype', 'ünïcödé'] };
    ctx.fake.on({ operation: 'Converse', reply: { toolUse: { name: 'record_verdict', input } } });
    const schema = { type: 'object', properties: { verdict: { type: 'string' }, score: { type: 'number' } }, required: ['verdict'] };
    const result = await ctx.stack.bedrock.converse({
      modelId: MODEL,
      messages: user('judge this'),
      tool: { name: 'record_verdict', description: 'Record the verdict.', inputSchema: schema },
    });
    expect(result.toolInput).toEqual(input);
    expect(result.stopReason).toBe('tool_use');
    expect(ctx.fake.requests.at(-1)!.body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'record_verdict', description: 'Record the verdict.', inputSchema: { json: schema } } }],
      toolChoice: { tool: { name: 'record_verdict' } },
    });
  });

  it('returns the guardrail trace', async () => {
    const trace = { outputAssessments: { g: [{ wordPolicy: { customWords: [{ match: 'darn', action: 'BLOCKED' }] } }] } };
    ctx.fake.on({ operation: 'Converse', reply: { text: 'blocked', stopReason: 'guardrail_intervened', guardrailTrace: trace } });
    const result = await ctx.stack.bedrock.converse({ modelId: MODEL, messages: user('x'), guardrail: { id: 'g', version: '1' } });
    expect(result.guardrailTrace).toEqual(trace);
    expect(result.stopReason).toBe('guardrail_intervened');
  });

  it('counts retries: two throttles then success is 3 attempts', async () => {
    ctx.fake.on({ operation: 'Converse', times: 2, error: { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' } });
    const result = await ctx.stack.bedrock.converse({ modelId: MODEL, messages: user('retry me') });
    expect(result.metrics.attempts).toBe(3);
    expect(ctx.fake.requests.filter((r) => r.operation === 'Converse')).toHaveLength(3);
  });

  it('retries in adaptive mode too, with the attempts chosen in Settings', async () => {
    const adaptive = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint, retryMode: 'adaptive', maxAttempts: 2 });
    try {
      const throttle = { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' };
      ctx.fake.on({ operation: 'Converse', times: 1, error: throttle });
      expect((await adaptive.bedrock.converse({ modelId: MODEL, messages: user('adaptive') })).metrics.attempts).toBe(2);
      // Two attempts and both throttled: the call fails after exactly two requests.
      ctx.fake.on({ operation: 'Converse', times: 2, error: throttle });
      const before = ctx.fake.requests.length;
      await expect(adaptive.bedrock.converse({ modelId: MODEL, messages: user('adaptive') })).rejects.toMatchObject({ kind: 'throttled' });
      expect(ctx.fake.requests.length - before).toBe(2);
    } finally {
      adaptive.close();
    }
  });

  it('counts retries on streams too', async () => {
    ctx.fake.on({ operation: 'ConverseStream', times: 1, error: { status: 503, type: 'ServiceUnavailableException', message: 'Try later.' } });
    const events = await collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages: user('x') }));
    expect((events.at(-1) as Extract<StreamEvent, { type: 'done' }>).metrics.attempts).toBe(2);
  });

  it('cancels a one-shot call in flight', async () => {
    ctx.fake.on({ operation: 'Converse', pace: { firstTokenMs: 5_000 } });
    const controller = new AbortController();
    const call = expect(ctx.stack.bedrock.converse({ modelId: MODEL, messages: user('x') }, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
    // abort once the request is in flight (a busy machine may take longer than any fixed delay to send it)
    await waitFor(() => ctx.fake.requests.some((request) => request.operation === 'Converse'));
    controller.abort();
    await call;
    await waitFor(() => ctx.fake.openStreams() === 0);
    expect(ctx.fake.requests.at(-1)!.closedByClient).toBe(true);
  });
});
