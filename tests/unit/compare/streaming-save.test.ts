/**
 * A streaming answer is saved by appending only what is new: a 10 MB answer in 1,000 chunks,
 * flushed every few milliseconds, writes each byte once while streaming (plus one fold when it
 * settles), in bounded time, and reads back whole while it streams and after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ExperimentConfig } from '../../../shared/domain';
import { createRunner, type StreamingModel } from '../../../electron/services/runner';
import { createRunRepo, openDb, type Db } from '../../../electron/services/store';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-append-'));
  db = openDb(join(dir, 'append.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const CHUNK = 'x'.repeat(10_239) + '\n';
const CHUNKS = 1_000; // 10 MB

function bigModel(onChunk: (i: number) => Promise<void> | void): StreamingModel {
  return {
    async *converseStream() {
      for (let i = 0; i < CHUNKS; i += 1) {
        await onChunk(i);
        yield { type: 'text' as const, text: CHUNK };
      }
      yield { type: 'stop' as const, stopReason: 'end_turn' };
    },
  };
}

it('saves a 10 MB answer by appending: bytes written grow linearly, in bounded time', async () => {
  const runs = createRunRepo(db);
  const steps = runs.steps!;
  let appended = 0;
  let flushes = 0;
  steps.appendTexts = new Proxy(steps.appendTexts, {
    apply(target, self, args: Parameters<typeof steps.appendTexts>) {
      flushes += 1;
      for (const c of args[0]) appended += c.text.length;
      return Reflect.apply(target, self, args);
    },
  });
  let midway = '';
  let runId = '';
  const model = bigModel(async (i) => {
    if (i % 50 === 0) await new Promise((r) => setTimeout(r, 3)); // let the save timer fire
    if (i === 500) midway = runs.get(runId)!.arms[1]!.text;
  });
  const runner = createRunner({ bedrock: model, runs, saveIntervalMs: 1 });
  const config = ExperimentConfig.parse({
    variables: [],
    arms: [
      { mode: 'baseline', label: 'Baseline', modelId: 'a', inference: {}, system: '', history: [], template: 'Q' },
      { mode: 'derived', label: 'Long', steps: [], overrides: {} },
    ],
  });
  const started = performance.now();
  runId = runner.start({ experimentId: null, title: 'Long', config }, () => undefined).id;
  await runner.whenSettled(runId);
  const ms = performance.now() - started;

  const total = CHUNK.length * CHUNKS;
  const arm = runs.get(runId)!.arms[1]!;
  expect(arm.text.length).toBe(total);
  expect(arm.status).toBe('completed');
  expect(flushes).toBeGreaterThan(10); // saved many times while streaming...
  expect(appended).toBeLessThanOrEqual(2 * total); // ...each byte once per arm (two arms): linear, not quadratic
  expect(midway.length).toBeGreaterThan(0); // a reader sees the text so far while it streams
  expect(CHUNK.repeat(CHUNKS).startsWith(midway)).toBe(true);
  expect(db.prepare('SELECT COUNT(*) FROM arm_text_chunks').pluck().get()).toBe(0);
  expect(ms).toBeLessThan(30_000);
}, 60_000);
