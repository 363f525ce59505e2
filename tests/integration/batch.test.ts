/**
 * Batches with the real AWS SDK against the fake Bedrock over the wire, on real SQLite files:
 * throttling slows the batch down instead of failing it and every cell is done exactly once;
 * a SIGKILLed batch resumes to the same final table without running a finished cell again;
 * cancel keeps finished cells; a malformed CSV is refused with its row and column.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchProgress } from '../../shared/batch';
import { createServices, type Services } from '../../electron/services';
import { createHandlers } from '../../electron/handlers';
import { dispatch } from '../../electron/dispatch';
import { parseDataset } from '../../electron/services/batch/parse';
import { waitFor } from '../support/async';
import { BATCH_CONFIG, topicOf, topicsCsv } from '../support/batch-fixtures';
import { useFakeBedrock } from '../support/fake-bedrock-env';

const ROOT = join(__dirname, '..', '..');
const server = useFakeBedrock();
const opened: { services: Services; dir: string }[] = [];

function open(dir = mkdtempSync(join(tmpdir(), 'parallax-batch-int-'))): { services: Services; dir: string } {
  const services = createServices({ dataDir: dir, version: '0.0.0-test', batch: { backoffMs: 20 } });
  services.settings.update({ endpoint: server.fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
  const entry = { services, dir };
  opened.push(entry);
  return entry;
}

afterEach(() => {
  for (const { services, dir } of opened.splice(0)) {
    services.close();
    rmSync(dir, { recursive: true, force: true });
  }
  server.fake.reset();
});

function saveTopics(services: Services, rows: number) {
  const parsed = parseDataset(topicsCsv(rows), 'csv');
  return services.batchRepo.createDataset({ name: 'topics.csv', format: 'csv', ...parsed, mapping: { variables: { topic: 'topic' }, reference: 'expected' } });
}

const armOf = (request: { modelId?: string }) => (request.modelId?.includes('claude') ? 1 : 0);

describe('a batch over the wire', () => {
  it('runs 50 rows × 2 arms × 2 repeats through injected throttling, every cell done exactly once', async () => {
    const { services } = open();
    const dataset = saveTopics(services, 50);
    server.fake.setDefaultPace({ firstTokenMs: 5 });
    server.fake.on({ operation: 'ConverseStream', times: 30, error: { status: 429, type: 'ThrottlingException', message: 'Rate exceeded' } });
    const progress: BatchProgress[] = [];
    const batch = services.batches.start(
      { name: 'Throttled', experimentId: null, config: BATCH_CONFIG, datasetId: dataset.id, mapping: dataset.mapping, repeats: 2, concurrency: 4, scores: { metrics: ['words'], judges: [] } },
      (event, payload) => {
        if (event === 'batch:progress') progress.push(payload as BatchProgress);
      },
    );
    expect(batch.counts.total).toBe(200);
    await services.batches.whenSettled(batch.id);

    const detail = services.batches.get(batch.id);
    expect(detail.cells.filter((c) => c.status !== 'completed').map((c) => `${c.row}/${c.repeat}/${c.arm}: ${c.status} after ${c.attempts}: ${c.error}`)).toEqual([]);
    expect(detail.status).toBe('completed');
    expect(detail.counts).toMatchObject({ total: 200, completed: 200, failed: 0, pending: 0, running: 0 });
    // the throttled ones were tried again; the 30 throttled requests came first
    const streams = server.fake.requests.filter((r) => r.operation === 'ConverseStream');
    expect(streams).toHaveLength(230);
    const answered = new Map<string, number>();
    for (const request of streams.slice(30)) {
      const key = `${topicOf(request.body)}:${armOf(request)}`;
      answered.set(key, (answered.get(key) ?? 0) + 1);
    }
    // every row × arm answered exactly twice (its two repeats), nothing more
    expect(answered.size).toBe(100);
    expect([...answered.values()].every((n) => n === 2)).toBe(true);
    // the batch slowed down instead of failing: throttling was seen and the limit went below 4
    expect(progress.some((p) => p.throttled > 0 && p.concurrency < 4)).toBe(true);
    // each (row, repeat) is a normal run in History, linked to its cells, scored with the batch's score
    const runIds = new Set(detail.cells.map((c) => c.runId));
    expect(runIds.size).toBe(100);
    const cell = detail.cells.find((c) => c.row === 6 && c.repeat === 1 && c.arm === 1)!;
    const run = services.runs.get(cell.runId!)!;
    expect(run.title).toBe('Throttled · row 7, repeat 2');
    expect(run.arms[1]!.request.messages.at(-1)!.text).toBe('Tell me about topic-7, fairly.');
    expect(cell.scores.find((s) => s.scorer === 'words')?.value).toBeGreaterThan(0);
    const stats = services.batches.stats(batch.id);
    expect(stats.arms[1]!.effects.find((e) => e.scorer === 'words')?.n).toBe(50);
  }, 60_000);

  it('cancel keeps the finished cells and starts nothing more', async () => {
    const { services } = open();
    const dataset = saveTopics(services, 10);
    server.fake.setDefaultPace({ firstTokenMs: 150 });
    const batch = services.batches.start(
      { name: 'Cancelled', experimentId: null, config: BATCH_CONFIG, datasetId: dataset.id, mapping: dataset.mapping, repeats: 1, concurrency: 2, scores: { metrics: [], judges: [] } },
      () => {},
    );
    await waitFor(() => services.batches.get(batch.id).counts.completed >= 3, 10_000);
    const summary = services.batches.cancel(batch.id);
    expect(summary.status).toBe('cancelled');
    await services.batches.whenSettled(batch.id);
    // a call sent just before Stop may reach the fake's log a moment later: let it land, then
    // check that nothing new starts
    await new Promise((r) => setTimeout(r, 300));
    const requestsAtCancel = server.fake.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.fake.requests.length).toBe(requestsAtCancel);
    const detail = services.batches.get(batch.id);
    const completed = detail.cells.filter((c) => c.status === 'completed');
    expect(completed.length).toBeGreaterThanOrEqual(3);
    expect(detail.cells.filter((c) => c.status === 'cancelled').length).toBe(20 - completed.length);
    for (const cell of completed) expect(services.runs.get(cell.runId!)!.arms[cell.arm]!.text.length).toBeGreaterThan(0);
    expect(detail.counts.pending + detail.counts.running).toBe(0);
  }, 30_000);

  it('a SIGKILLed batch resumes on the next start to the same final table, never running a finished cell again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parallax-batch-kill-'));
    const first = open(dir);
    const dataset = saveTopics(first.services, 20);
    first.services.close();
    opened.pop();
    for (let i = 1; i <= 20; i += 1) {
      server.fake.on({ prompt: `topic-${i}, fairly`, reply: { text: `Guarded answer ${i}.` }, pace: { firstTokenMs: 80 } });
      server.fake.on({ prompt: `topic-${i}.`, reply: { text: `Plain answer ${i}.` }, pace: { firstTokenMs: 80 } });
    }
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/support/batch-child.ts'), dir, server.fake.endpoint, 'start', dataset.id], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await waitFor(() => [...out.matchAll(/progress (\d+) 40/g)].some((m) => Number(m[1]) >= 8) || child.exitCode !== null, 20_000).catch(() => {
      throw new Error(`child did not make progress: ${out} ${err}`);
    });
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    const { services } = open(dir);
    const resumable = services.batches.resumable();
    expect(resumable).toHaveLength(1);
    const id = resumable[0]!.id;
    expect(resumable[0]!.status).toBe('interrupted');
    const before = services.batches.get(id);
    const doneBefore = before.cells.filter((c) => c.status === 'completed' || (c.status === 'running' && services.runs.get(c.runId!)?.arms[c.arm]?.status === 'completed'));
    expect(doneBefore.length).toBeGreaterThanOrEqual(8);
    expect(doneBefore.length).toBeLessThan(40);
    const textsBefore = new Map(doneBefore.map((c) => [`${c.row}:${c.arm}`, services.runs.get(c.runId!)!.arms[c.arm]!.text]));

    services.batches.resume(id, () => {});
    await services.batches.whenSettled(id);
    const after = services.batches.get(id);
    expect(after.status).toBe('completed');
    expect(after.counts.completed).toBe(40);
    // the same final table as an uninterrupted batch: every row × arm with its own answer
    for (const cell of after.cells) {
      const text = services.runs.get(cell.runId!)!.arms[cell.arm]!.text;
      expect(text).toBe(cell.arm === 0 ? `Plain answer ${cell.row + 1}.` : `Guarded answer ${cell.row + 1}.`);
      if (textsBefore.has(`${cell.row}:${cell.arm}`)) expect(text).toBe(textsBefore.get(`${cell.row}:${cell.arm}`));
    }
    // no finished cell was sent again after the kill
    const afterKill = server.fake.requests.filter((r) => r.operation === 'ConverseStream' && r.receivedAt >= killedAt);
    const resent = new Set(afterKill.map((r) => `${topicOf(r.body)! - 1}:${armOf(r)}`));
    for (const key of textsBefore.keys()) expect(resent.has(key)).toBe(false);
    // and every cell was answered (not merely asked) once overall: one run per row
    expect(new Set(after.cells.map((c) => c.runId)).size).toBe(20);
    expect(after.cells.every((c) => c.scores.some((s) => s.scorer === 'words'))).toBe(true);
  }, 60_000);

  it('refuses a malformed CSV naming its row and column, and saves nothing', async () => {
    const { services } = open();
    const handlers = createHandlers(services, () => {});
    const reply = await dispatch(handlers, 'datasets:save', { name: 'broken.csv', format: 'csv', text: 'topic,expected\nfirst,"fine"\nsecond,"never closed\nthird,x\n' });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.message).toMatch(/row 2, column 2 \("expected"\)/);
    const extra = await dispatch(handlers, 'datasets:inspect', { name: 'extra.csv', format: 'csv', text: 'a,b\n1,2\n3,4,5\n' });
    expect(!extra.ok && extra.error.message).toMatch(/row 2, column 3/);
    expect(services.batchRepo.datasets()).toEqual([]);
  });
});

describe('streaming text of a watched batch', () => {
  it('sends a watched batch’s text as it streams, offsets that join to the whole answer, and nothing for a batch nobody watches', async () => {
    const { services } = open();
    const answer = 'Tides rise and fall twice a day because the moon and the sun pull on the oceans of the earth.';
    server.fake.on({ model: 'nova', reply: { text: answer }, pace: { firstTokenMs: 5, tokensPerSecond: 200 } });
    server.fake.on({ model: 'claude', reply: { text: 'Tides, fairly told.' } });
    const repeats = { name: 'Tides', experimentId: null, config: BATCH_CONFIG, datasetId: null, mapping: { variables: {}, reference: null }, concurrency: 4, scores: { metrics: [], judges: [] } };
    const events: { event: string; payload: unknown }[] = [];
    const sink = (event: string, payload: unknown) => void events.push({ event, payload });

    // nobody watches: no text events at all
    const quiet = services.batches.start({ ...repeats, repeats: 2 }, sink);
    await services.batches.whenSettled(quiet.id);
    expect(events.filter((e) => e.event === 'batch:delta')).toHaveLength(0);

    // a view watches: each cell's deltas start where the last ended and add up to its answer
    const watched = services.batches.start({ ...repeats, repeats: 2 }, sink);
    expect(services.batches.watch(watched.id, true)).toBe(true);
    await services.batches.whenSettled(watched.id);
    const deltas = events.map((e) => e.payload as { batchId: string; runId: string; armIndex: number; at: number; text: string }).filter((p, i) => events[i]!.event === 'batch:delta');
    expect(deltas.every((d) => d.batchId === watched.id)).toBe(true);
    const texts = new Map<string, string>();
    for (const d of deltas) {
      const key = `${d.runId}:${d.armIndex}`;
      const before = texts.get(key) ?? '';
      expect(d.at).toBe(before.length);
      texts.set(key, before + d.text);
    }
    const baseline = [...texts].filter(([key]) => key.endsWith(':0')).map(([, text]) => text);
    expect(baseline).toEqual([answer, answer]);
    // coalesced: fewer events than the answer has words
    expect(deltas.filter((d) => d.armIndex === 0).length).toBeLessThan(answer.split(' ').length * 2);
    // the batch has ended: its watch is gone
    expect(services.batches.watch(watched.id, false)).toBe(false);
  });
});
