/**
 * bench/stream-overhead: what the Bedrock client stack (AWS SDK + HTTP/2 + our converseStream)
 * costs per streamed token and per minimal call, against the fake Bedrock server.
 *
 * Separating client overhead from server cost: the fake runs in this process and its work per
 * token (encoding an event-stream frame, writing it to the HTTP/2 stream) is the same whoever
 * reads. So every repetition times the same request twice, back to back in alternating order:
 *   - through `services.bedrock.converseStream` (real SDK, its default HTTP/2 handler, event
 *     stream decoding, our event mapping and metrics), and
 *   - through a bare `node:http2` client that sends the same JSON body and only reads the bytes
 *     to the end (no signing, no decoding): server cost + transport floor.
 * The difference is what the client stack adds. Per token = difference / tokens; per call =
 * the same difference for a one-word Converse reply. Both raw and SDK open a fresh HTTP/2
 * session per request, as the SDK does for Bedrock Runtime (disableConcurrentStreams), so
 * connection setup is in both and cancels out. Medians over repetitions (shared, noisy machines).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createBedrockClients, createBedrockService, createCatalogService, createSettingsService } from '../electron/services/bedrock';
import { openDb } from '../electron/services/store';
import { createCatalogRepo } from '../electron/services/store/catalog';
import { createSettingsRepo } from '../electron/services/store/settings';
import { startFakeBedrock } from '../tests/support/fake-bedrock';
import { median, percentile, report, round } from './lib/report';

const TOKENS = 2_000;
const STREAM_REPEATS = 15;
const CALL_REPEATS = 60;
const WARMUP = 5;
const MODEL = 'amazon.nova-lite-v1:0';

process.env.AWS_ACCESS_KEY_ID = 'AKIABENCHBENCHBENCH0';
process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
delete process.env.AWS_PROFILE;
delete process.env.AWS_BEARER_TOKEN_BEDROCK;

async function main(): Promise<void> {
  const longReply = Array.from({ length: TOKENS }, (_, i) => `t${i}`).join(' ');
  const fake = await startFakeBedrock({ defaultReply: 'ok' });
  fake.on({ operation: 'ConverseStream', prompt: 'long', reply: { text: longReply } });
  const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-stream-'));
  const db = openDb(join(dir, 'bench.db'));
  const settings = createSettingsService(createSettingsRepo(db));
  settings.save({ region: 'us-east-1', endpoint: fake.endpoint, maxAttempts: 1 });
  const clients = createBedrockClients(() => settings.get());
  const bedrock = createBedrockService({ clients, catalog: createCatalogService({ repo: createCatalogRepo(db), clients }) });

  const body = (text: string) => JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] });

  async function viaSdkStream(): Promise<number> {
    const started = performance.now();
    let tokens = 0;
    for await (const event of bedrock.converseStream({ modelId: MODEL, messages: [{ role: 'user', text: 'long' }] })) {
      if (event.type === 'text') tokens += 1;
    }
    const elapsed = performance.now() - started;
    if (tokens !== TOKENS) throw new Error(`expected ${TOKENS} tokens, got ${tokens}`);
    return elapsed;
  }

  async function viaSdkCall(): Promise<number> {
    const started = performance.now();
    const result = await bedrock.converse({ modelId: MODEL, messages: [{ role: 'user', text: 'hi' }] });
    const elapsed = performance.now() - started;
    if (result.text !== 'ok') throw new Error(`unexpected reply ${result.text}`);
    return elapsed;
  }

  /** A bare HTTP/2 POST on a fresh session; reads the whole response as bytes. */
  function viaRaw(operation: 'converse' | 'converse-stream', text: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const session = connect(fake.endpoint);
      session.on('error', reject);
      const stream = session.request({
        ':method': 'POST',
        ':path': `/model/${encodeURIComponent(MODEL)}/${operation}`,
        'content-type': 'application/json',
      });
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
      stream.on('end', () => {
        const elapsed = performance.now() - started;
        session.close();
        if (bytes === 0) reject(new Error('empty raw response'));
        else resolve(elapsed);
      });
      stream.on('error', reject);
      stream.end(body(text));
    });
  }

  async function paired(sdk: () => Promise<number>, raw: () => Promise<number>, repeats: number) {
    const sdkTimes: number[] = [];
    const rawTimes: number[] = [];
    const diffs: number[] = [];
    for (let i = 0; i < WARMUP; i += 1) {
      await sdk();
      await raw();
    }
    for (let i = 0; i < repeats; i += 1) {
      let s: number;
      let r: number;
      if (i % 2 === 0) {
        s = await sdk();
        r = await raw();
      } else {
        r = await raw();
        s = await sdk();
      }
      sdkTimes.push(s);
      rawTimes.push(r);
      diffs.push(s - r);
    }
    return { sdk: median(sdkTimes), raw: median(rawTimes), diff: median(diffs), diffP95: percentile(diffs, 95) };
  }

  try {
    const stream = await paired(viaSdkStream, () => viaRaw('converse-stream', 'long'), STREAM_REPEATS);
    const call = await paired(viaSdkCall, () => viaRaw('converse', 'hi'), CALL_REPEATS);
    report(
      'stream-overhead',
      {
        ms_per_token: round(Math.max(0, stream.diff) / TOKENS, 4),
        ms_per_call: round(Math.max(0, call.diff), 3),
        sdk_stream_ms: round(stream.sdk, 2),
        raw_stream_ms: round(stream.raw, 2),
        sdk_call_ms: round(call.sdk, 3),
        raw_call_ms: round(call.raw, 3),
        ms_per_call_p95: round(call.diffP95, 3),
      },
      { ms_per_token: '<= 0.05', ms_per_call: '<= 5' },
    );
  } finally {
    clients.destroy();
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await fake.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
