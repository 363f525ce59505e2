import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExperimentConfig } from '../../../shared/domain';
import { createRunRepo, openDb, type Db } from '../../../electron/services/store';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-runs-'));
  db = openDb(join(dir, 'runs.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const legacyArms = [
  { label: 'Baseline', technique: 'plain', modelId: 'a', inference: {}, system: '', history: [], template: 'Q' },
  { label: 'Guarded', technique: 'bias-guard', modelId: 'b', inference: {}, system: 'Be fair.', history: [], template: 'Q' },
];
/** A configuration stored before issue 9, upgraded as every parse does. */
const config: ExperimentConfig = ExperimentConfig.parse({ variables: [], arms: legacyArms });
const request = { system: '', messages: [{ role: 'user' as const, text: 'Q' }], inference: {} };

describe('run repository', () => {
  it('keeps partial text and marks still-running arms interrupted after an unclean stop', () => {
    const runs = createRunRepo(db, () => 1000);
    const id = runs.create({ experimentId: null, title: 'Unclean', config, arms: legacyArms.map((a) => ({ ...a, request })) });
    runs.updateArm(id, 0, { text: 'half an ans', status: 'streaming' });
    runs.updateArm(id, 1, { text: 'done', status: 'completed', outputTokens: 1 });

    expect(runs.markInterrupted()).toBe(1);
    const run = runs.get(id)!;
    expect(run.status).toBe('interrupted');
    expect(run.finishedAt).toBe(1000);
    expect(run.arms.map((a) => [a.status, a.text])).toEqual([
      ['interrupted', 'half an ans'],
      ['completed', 'done'],
    ]);
    // The crashed arm explains itself; the finished one keeps no error.
    expect(run.arms[0]!.error).toEqual({
      code: 'interrupted',
      message: 'Parallax closed unexpectedly while this arm was running; the text received so far was kept.',
    });
    expect(run.arms[1]!.error).toBeNull();
  });

  it('stores errors as data and reads every metric back', () => {
    const runs = createRunRepo(db);
    const id = runs.create({ experimentId: null, title: 'Err', config, arms: legacyArms.map((a) => ({ ...a, request })) });
    runs.updateArm(id, 1, {
      status: 'failed',
      error: { code: 'bedrock', message: 'Model access is not enabled' },
      inputTokens: 12,
      ttftMs: 300.5,
      costUsd: 0.0001,
    });
    const arm = runs.get(id)!.arms[1]!;
    expect(arm.error).toEqual({ code: 'bedrock', message: 'Model access is not enabled' });
    expect(arm.metrics).toEqual({ inputTokens: 12, outputTokens: null, ttftMs: 300.5, totalMs: null, costUsd: 0.0001 });
    expect(arm.request).toEqual(request);
  });
  it('re-running one arm reads back its snapshot and that arm, then starts it afresh with the new request; the other arm is untouched', () => {
    const runs = createRunRepo(db, () => 1000);
    const id = runs.create({ experimentId: null, title: 'Again', config, arms: legacyArms.map((a) => ({ ...a, request })) });
    runs.updateArm(id, 0, { text: 'first answer', status: 'failed', error: { code: 'bedrock', message: 'Throttled' }, ttftMs: 12 });
    runs.updateArm(id, 1, { text: 'kept', status: 'completed' });
    runs.finish(id, 'failed');

    const stored = runs.armToRerun(id, 0)!;
    expect(stored.config.arms.map((a) => a.label)).toEqual(['Baseline', 'Guarded']);
    expect(stored.arm).toEqual({ label: 'Baseline', modelId: 'a', request });
    expect(runs.armToRerun(id, 5)!.arm).toBeNull();
    expect(runs.armToRerun('no-such-run', 0)).toBeUndefined();

    const again = { ...request, system: 'Now with a system prompt' };
    expect(runs.restartArm(id, 0, again)).toBe(true);
    const run = runs.get(id)!;
    expect(run.status).toBe('running');
    expect(run.arms[0]).toMatchObject({ status: 'pending', text: '', error: null, request: again, metrics: { ttftMs: null } });
    expect(run.arms[1]).toMatchObject({ status: 'completed', text: 'kept', request });
  });
});
