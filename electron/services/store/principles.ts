/** Named principle sets (table principle_sets, migration 0009), parsed with zod when read back. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { PrincipleSet, PrincipleSetInput } from '../../../shared/principles';
import type { Db } from './db';

type ValidInput = z.output<typeof PrincipleSetInput>;

const Row = z.object({ id: z.string(), name: z.string(), principles: z.string(), created_at: z.number(), updated_at: z.number() });

function fromRow(row: unknown): PrincipleSet | undefined {
  const parsed = Row.safeParse(row);
  if (!parsed.success) return undefined;
  let principles: unknown;
  try {
    principles = JSON.parse(parsed.data.principles);
  } catch {
    return undefined;
  }
  const set = PrincipleSet.safeParse({ id: parsed.data.id, name: parsed.data.name, principles, createdAt: parsed.data.created_at, updatedAt: parsed.data.updated_at });
  return set.success ? set.data : undefined;
}

export function createPrincipleRepo(db: Db, now: () => number = Date.now) {
  const selectAll = db.prepare('SELECT * FROM principle_sets ORDER BY name COLLATE NOCASE');
  const selectOne = db.prepare<[string]>('SELECT * FROM principle_sets WHERE id = ?');
  const selectByName = db.prepare<[string], { id: string }>('SELECT id FROM principle_sets WHERE name = ? COLLATE NOCASE');
  const upsert = db.prepare(
    `INSERT INTO principle_sets (id, name, principles, created_at, updated_at) VALUES (@id, @name, @principles, @now, @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, principles = excluded.principles, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM principle_sets WHERE id = ?');
  return {
    /** Sets that no longer parse (a newer app's) are left out rather than breaking the list. */
    list(): PrincipleSet[] {
      return selectAll.all().flatMap((row) => fromRow(row) ?? []);
    },
    get(id: string): PrincipleSet | undefined {
      return fromRow(selectOne.get(id));
    },
    save(valid: ValidInput): PrincipleSet {
      const id = valid.id ?? randomUUID();
      const clash = selectByName.get(valid.name);
      if (clash && clash.id !== id) throw new AppError('conflict', `A principle set named “${valid.name}” already exists. Pick another name, or open that set and save over it.`);
      upsert.run({ id, name: valid.name, principles: JSON.stringify(valid.principles), now: now() });
      return fromRow(selectOne.get(id))!;
    },
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
  };
}

export type PrincipleRepo = ReturnType<typeof createPrincipleRepo>;
