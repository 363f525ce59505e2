/**
 * Moderation pipelines (migration 0010): named lists of guards on input and output, and which runs
 * used them (with the pipeline as it was then). Steps are stored as JSON and read back through
 * the step schemas; a stored step this version cannot read is dropped from the listing, never cast.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { ModerationPipeline } from '../../../shared/moderation/pipeline';
import { PipelineInput, pipelineUses, type PipelineUse } from '../../../shared/moderation/pipeline';
import { StepConfig } from '../../../shared/steps/registry';
import type { Db } from './db';

interface PipelineRow {
  id: string;
  name: string;
  input_steps: string;
  output_steps: string;
  created_at: number;
  updated_at: number;
  run_count: number;
}

const StoredSteps = z.array(z.unknown());

function readSteps(json: string): StepConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  const list = StoredSteps.safeParse(raw);
  if (!list.success) return [];
  return list.data.flatMap((item) => {
    const step = StepConfig.safeParse(item);
    return step.success ? [step.data] : [];
  });
}

const fromRow = (row: PipelineRow): ModerationPipeline => ({
  id: row.id,
  name: row.name,
  input: readSteps(row.input_steps),
  output: readSteps(row.output_steps),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  runCount: row.run_count,
});

const SELECT = `SELECT p.id, p.name, p.input_steps, p.output_steps, p.created_at, p.updated_at,
  (SELECT COUNT(DISTINCT rp.run_id) FROM run_pipelines rp WHERE rp.pipeline_id = p.id) AS run_count
  FROM moderation_pipelines p`;

export function createPipelineRepo(db: Db, now: () => number = Date.now) {
  const selectAll = db.prepare<[], PipelineRow>(`${SELECT} ORDER BY p.name COLLATE NOCASE`);
  const selectOne = db.prepare<[string], PipelineRow>(`${SELECT} WHERE p.id = ?`);
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM moderation_pipelines WHERE name = ? COLLATE NOCASE');
  const upsert = db.prepare(
    `INSERT INTO moderation_pipelines (id, name, input_steps, output_steps, created_at, updated_at)
     VALUES (@id, @name, @input, @output, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, input_steps = excluded.input_steps,
       output_steps = excluded.output_steps, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM moderation_pipelines WHERE id = ?');
  const recordUse = db.prepare('INSERT OR REPLACE INTO run_pipelines (run_id, arm_index, pipeline_id, name, steps) VALUES (?, ?, ?, ?, ?)');
  const usesOf = db.prepare<[string], { arm_index: number; pipeline_id: string; name: string; steps: string }>(
    'SELECT arm_index, pipeline_id, name, steps FROM run_pipelines WHERE run_id = ? ORDER BY arm_index, name',
  );

  return {
    list(): ModerationPipeline[] {
      return selectAll.all().map(fromRow);
    },
    get(id: string): ModerationPipeline | undefined {
      const row = selectOne.get(id);
      return row && fromRow(row);
    },
    save(input: z.output<typeof PipelineInput>): ModerationPipeline {
      const id = input.id ?? `pipeline-${randomUUID()}`;
      const clash = byName.get(input.name);
      if (clash && clash.id !== id) throw new AppError('conflict', `A pipeline named “${input.name}” already exists. Pick another name, or open that one to edit it.`);
      const stage = (steps: readonly StepConfig[], s: 'input' | 'output') => JSON.stringify(steps.map((step) => ({ ...step, stage: s, pipeline: undefined })));
      upsert.run({ id, name: input.name, input: stage(input.input, 'input'), output: stage(input.output, 'output'), now: now() });
      return fromRow(selectOne.get(id)!);
    },
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
    /** Records which pipelines each arm of a run used, with their steps as run (called when a run starts). */
    recordRun(runId: string, arms: readonly { index: number; steps: readonly StepConfig[] }[]): void {
      const uses = pipelineUses(arms);
      if (uses.length === 0) return;
      db.transaction(() => {
        for (const use of uses) recordUse.run(runId, use.armIndex, use.pipelineId, use.name, JSON.stringify(use.steps));
      })();
    },
    /** The pipelines a run used, per arm, as they were then. */
    ofRun(runId: string): PipelineUse[] {
      return usesOf.all(runId).map((row) => ({ armIndex: row.arm_index, pipelineId: row.pipeline_id, name: row.name, steps: readSteps(row.steps) }));
    },
  };
}

export type PipelineRepo = ReturnType<typeof createPipelineRepo>;
