/**
 * Migration 0010 (moderation pipelines): from the schema just before it, the tables appear; a
 * pipeline saved through the repository reads back through the step schemas; the runs that used
 * a pipeline keep its guards after the pipeline is edited or deleted; deleting the run drops them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPipelineRepo, createRunRepo, openDb } from '../../../electron/services/store';
import { MIGRATIONS } from '../../../electron/services/store/migrations';
import { PipelineInput, pipelineSteps } from '../../../shared/moderation/pipeline';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-migration-0010-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migration 0010: moderation pipelines', () => {
  it('adds the tables to a database at the schema just before it', () => {
    const path = join(dir, 'p.db');
    openDb(path, { migrations: MIGRATIONS.filter((m) => m.version < 10) }).close();
    const db = openDb(path);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('moderation_pipelines', 'run_pipelines') ORDER BY name").pluck().all();
    expect(tables).toEqual(['moderation_pipelines', 'run_pipelines']);
    db.close();
  });

  it('saves, lists in name order, refuses a duplicate name, and runs keep their copy after an edit and a delete', () => {
    const db = openDb(join(dir, 'p.db'));
    const repo = createPipelineRepo(db, () => 1000);
    const saved = repo.save(
      PipelineInput.parse({ name: 'PII → safety → toxicity', input: [{ kind: 'guard-pii' }, { kind: 'guard-classifier' }, { kind: 'guard-toxicity', threshold: 0.7 }], output: [{ kind: 'guard-toxicity', stage: 'output' }] }),
    );
    expect(saved.input.map((s) => s.kind)).toEqual(['guard-pii', 'guard-classifier', 'guard-toxicity']);
    expect(saved.output.map((s) => ('stage' in s ? s.stage : null))).toEqual(['output']);
    repo.save(PipelineInput.parse({ name: 'Another', input: [{ kind: 'guard-injection' }] }));
    expect(repo.list().map((p) => p.name)).toEqual(['Another', 'PII → safety → toxicity']);
    expect(() => repo.save(PipelineInput.parse({ name: 'another', input: [{ kind: 'guard-injection' }] }))).toThrow(/already exists/);

    const runs = createRunRepo(db, () => 2000);
    const runId = runs.create({
      experimentId: null,
      title: 'Guarded',
      config: { variables: [], arms: [] as never[] },
      arms: [{ label: 'Baseline', technique: 'plain', modelId: 'amazon.nova-lite-v1:0', request: { system: '', messages: [{ role: 'user', text: 'hi' }], inference: {} } }],
    });
    repo.recordRun(runId, [{ index: 1, steps: pipelineSteps(saved) }]);
    repo.save(PipelineInput.parse({ id: saved.id, name: saved.name, input: [{ kind: 'guard-injection' }] }));
    repo.delete(saved.id);
    const kept = repo.ofRun(runId);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ armIndex: 1, pipelineId: saved.id, name: 'PII → safety → toxicity' });
    expect(kept[0]!.steps.map((s) => s.kind)).toEqual(['guard-pii', 'guard-classifier', 'guard-toxicity', 'guard-toxicity']);

    db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    expect(repo.ofRun(runId)).toEqual([]);
    db.close();
  });

  it('a stored step this version cannot read is left out, not cast', () => {
    const db = openDb(join(dir, 'p.db'));
    db.prepare("INSERT INTO moderation_pipelines (id, name, input_steps, output_steps, created_at, updated_at) VALUES ('x', 'Odd', ?, 'not json', 1, 1)").run(JSON.stringify([{ kind: 'guard-from-the-future' }, { kind: 'guard-injection' }]));
    const repo = createPipelineRepo(db);
    expect(repo.get('x')).toMatchObject({ name: 'Odd', output: [] });
    expect(repo.get('x')!.input.map((s) => s.kind)).toEqual(['guard-injection']);
    db.close();
  });
});
