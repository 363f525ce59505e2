import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScoreRepo } from '../../../electron/services/scores';
import { createRunRepo, openDb, type Db } from '../../../electron/services/store';
import { JUDGES } from '../../../shared/scores/judges';
import { DEFAULT_SCORE_SETTINGS } from '../../../shared/scores/types';
import { storeFinishedRun } from '../../support/score-fixtures';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-score-repo-'));
  db = openDb(join(dir, 'scores.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = { otherArmIndex: null, kind: 'judge' as const, details: null, feedback: '', prompt: 'p', modelId: 'm', outputHash: null };

describe('score repository (migration 0004)', () => {
  it('upserts per run, arm, scorer and compared arm; an error clears the value', () => {
    const runs = createRunRepo(db);
    const repo = createScoreRepo(db, () => 42);
    const runId = storeFinishedRun(runs, ['a', 'b']);
    repo.saveScore({ ...base, runId, armIndex: 1, scorer: 'bias', value: 4, passed: false, error: null });
    repo.saveScore({ ...base, runId, armIndex: 1, scorer: 'pairwise', otherArmIndex: 0, value: 1, passed: true, error: null });
    repo.saveScore({ ...base, runId, armIndex: 1, scorer: 'bias', value: 3, passed: true, error: 'The judge gave no score.' });

    const scores = repo.listScores(runId);
    expect(scores).toHaveLength(2);
    expect(scores.find((s) => s.scorer === 'bias')).toMatchObject({ value: null, passed: null, error: 'The judge gave no score.', createdAt: 42 });
    expect(scores.find((s) => s.scorer === 'pairwise')).toMatchObject({ otherArmIndex: 0, value: 1, passed: true });
  });

  it('keeps human ratings per arm and per run, clears them, and deletes them with the run', () => {
    const runs = createRunRepo(db);
    const repo = createScoreRepo(db, () => 7);
    const runId = storeFinishedRun(runs, ['a', 'b']);
    repo.rateArm(runId, 1, { thumb: 'up' });
    repo.rateArm(runId, 1, { stars: 4 });
    repo.rateArm(runId, 0, { thumb: 'down' });
    repo.rateRun(runId, { preferredArm: 'tie' });
    repo.rateRun(runId, {});
    // The note is not the repo's: it is the run's one note (runs.note), see the service.
    expect(repo.ratings(runId)).toEqual({
      arms: [
        { armIndex: 0, thumb: 'down', stars: null },
        { armIndex: 1, thumb: 'up', stars: 4 },
      ],
      preferredArm: 'tie',
      updatedAt: 7,
    });
    expect(db.prepare("SELECT COUNT(*) FROM pragma_table_info('run_ratings') WHERE name = 'note'").pluck().get()).toBe(0);
    repo.rateArm(runId, 0, { thumb: null });
    expect(repo.ratings(runId).arms.map((a) => a.armIndex)).toEqual([1]);
    expect(() => db.prepare('INSERT INTO arm_ratings VALUES (?, 0, NULL, 6, 1)').run(runId)).toThrow(/CHECK/);

    db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    expect(repo.ratings(runId)).toEqual({ arms: [], preferredArm: null, updatedAt: null });
  });

  it('settings fall back from the experiment to the defaults; prompts reset to the shipped text', () => {
    const repo = createScoreRepo(db);
    expect(repo.settings('exp-1')).toEqual(DEFAULT_SCORE_SETTINGS);
    repo.saveSettings(null, { ...DEFAULT_SCORE_SETTINGS, reference: 'global' });
    repo.saveSettings('exp-1', { ...DEFAULT_SCORE_SETTINGS, reference: 'mine' });
    expect(repo.settings('exp-1').reference).toBe('mine');
    expect(repo.settings('exp-2').reference).toBe('global');

    repo.savePrompt('bias', { system: 'S', template: 'T ${answer}' });
    expect(repo.prompts().bias).toEqual({ system: 'S', template: 'T ${answer}', edited: true });
    repo.savePrompt('bias', null);
    expect(repo.prompts().bias).toEqual({ ...JUDGES.bias.prompt, edited: false });
  });
});
