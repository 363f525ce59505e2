import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Technique, TechniqueInput } from '../../../shared/techniques';
import { BUILT_IN_TECHNIQUES } from '../../../shared/techniques';
import type { Db } from './db';

type ValidTechniqueInput = z.output<typeof TechniqueInput>;

interface TechniqueRow {
  id: string;
  name: string;
  summary: string;
  explanation: string;
  system: string;
  wrap: string;
}

const fromRow = (row: TechniqueRow): Technique => ({ ...row, builtIn: false });

/** The user's own techniques (table from migration 0003); the shipped ones come first in list(). */
export function createTechniqueRepo(db: Db, now: () => number = Date.now) {
  const selectAll = db.prepare<[], TechniqueRow>(
    'SELECT id, name, summary, explanation, system, wrap FROM techniques ORDER BY name COLLATE NOCASE, created_at',
  );
  const selectOne = db.prepare<[string], TechniqueRow>('SELECT id, name, summary, explanation, system, wrap FROM techniques WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO techniques (id, name, summary, explanation, system, wrap, created_at, updated_at)
     VALUES (@id, @name, @summary, @explanation, @system, @wrap, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, summary = excluded.summary,
       explanation = excluded.explanation, system = excluded.system, wrap = excluded.wrap, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM techniques WHERE id = ?');
  const isBuiltIn = (id: string) => BUILT_IN_TECHNIQUES.some((t) => t.id === id);

  return {
    list(): Technique[] {
      return [...BUILT_IN_TECHNIQUES, ...selectAll.all().map(fromRow)];
    },
    get(id: string): Technique | undefined {
      const shipped = BUILT_IN_TECHNIQUES.find((t) => t.id === id);
      if (shipped) return shipped;
      const row = selectOne.get(id);
      return row && fromRow(row);
    },
    /** Inserts or updates a user technique. Returns undefined for a shipped id (read-only). */
    save(input: ValidTechniqueInput): Technique | undefined {
      const id = input.id ?? `user-${randomUUID()}`;
      if (isBuiltIn(id)) return undefined;
      upsert.run({ id, name: input.name, summary: input.summary, explanation: input.explanation, system: input.system, wrap: input.wrap, now: now() });
      return fromRow(selectOne.get(id)!);
    },
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
  };
}

export type TechniqueRepo = ReturnType<typeof createTechniqueRepo>;
