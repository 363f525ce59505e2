import { randomUUID } from 'node:crypto';
import { ExperimentConfig, type Experiment, type ExperimentSummary } from '../../../shared/domain';
import type { ExperimentInput } from '../../../shared/domain';
import type { z } from 'zod';
import type { Db } from './db';

type ValidExperimentInput = z.output<typeof ExperimentInput>;

interface ExperimentRow {
  id: string;
  name: string;
  description: string;
  lab_id: string | null;
  config: string;
  created_at: number;
  updated_at: number;
}

function fromRow(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    labId: row.lab_id,
    config: ExperimentConfig.parse(JSON.parse(row.config)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createExperimentRepo(db: Db, now: () => number = Date.now) {
  const selectOne = db.prepare<[string], ExperimentRow>('SELECT * FROM experiments WHERE id = ?');
  const selectAll = db.prepare<[], ExperimentRow>('SELECT * FROM experiments ORDER BY updated_at DESC, rowid DESC');
  const insert = db.prepare(
    `INSERT INTO experiments (id, name, description, lab_id, config, created_at, updated_at)
     VALUES (@id, @name, @description, @labId, @config, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE experiments SET name = @name, description = @description, lab_id = @labId, config = @config,
     updated_at = @now WHERE id = @id`,
  );
  const remove = db.prepare('DELETE FROM experiments WHERE id = ?');

  return {
    get(id: string): Experiment | undefined {
      const row = selectOne.get(id);
      return row && fromRow(row);
    },

    list(): ExperimentSummary[] {
      return selectAll.all().map((row) => {
        const experiment = fromRow(row);
        return {
          id: experiment.id,
          name: experiment.name,
          description: experiment.description,
          armCount: experiment.config.arms.length,
          updatedAt: experiment.updatedAt,
        };
      });
    },

    /** Inserts a new experiment, or updates it when `input.id` names an existing one. */
    save(input: ValidExperimentInput): Experiment {
      const params = {
        id: input.id ?? randomUUID(),
        name: input.name,
        description: input.description,
        labId: input.labId,
        config: JSON.stringify(input.config),
        now: now(),
      };
      const changed = input.id ? update.run(params).changes : 0;
      if (changed === 0) insert.run(params);
      return fromRow(selectOne.get(params.id)!);
    },

    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
  };
}

export type ExperimentRepo = ReturnType<typeof createExperimentRepo>;
