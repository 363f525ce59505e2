import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { AnnotationCategoryInput, type AnnotationCategory, type ImageAnnotation } from '../../../shared/images';
import type { Db } from './db';

const CategoryRow = z.object({ id: z.string(), name: z.string(), options: z.string() });
const AnnotationRow = z.object({ arm_index: z.number().int(), position: z.number().int(), category_id: z.string(), value: z.string() });

function categoryOf(raw: unknown): AnnotationCategory {
  const row = CategoryRow.parse(raw);
  return { id: row.id, name: row.name, options: z.array(z.string()).catch([]).parse(JSON.parse(row.options)) };
}

/** Reviewer annotation categories and the per-image annotations (migration 0012). */
export function createImageAnnotationRepo(db: Db, now: () => number = Date.now) {
  const selectCategories = db.prepare('SELECT id, name, options FROM image_annotation_categories ORDER BY position, created_at');
  const selectCategory = db.prepare<[string]>('SELECT id, name, options FROM image_annotation_categories WHERE id = ?');
  const upsertCategory = db.prepare(
    `INSERT INTO image_annotation_categories (id, name, options, position, created_at)
     VALUES (@id, @name, @options, (SELECT COALESCE(MAX(position) + 1, 0) FROM image_annotation_categories), @now)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, options = excluded.options`,
  );
  const deleteCategory = db.prepare('DELETE FROM image_annotation_categories WHERE id = ?');
  const dropStale = db.prepare<[string, string]>(`DELETE FROM image_annotations WHERE category_id = ? AND value NOT IN (SELECT value FROM json_each(?))`);
  const selectSample = db.prepare<[string, number, number]>(`SELECT status FROM run_images WHERE run_id = ? AND arm_index = ? AND position = ?`);
  const upsertAnnotation = db.prepare(
    `INSERT INTO image_annotations (run_id, arm_index, position, category_id, value, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, arm_index, position, category_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const clearAnnotation = db.prepare('DELETE FROM image_annotations WHERE run_id = ? AND arm_index = ? AND position = ? AND category_id = ?');
  const selectForRun = db.prepare<[string]>(
    'SELECT arm_index, position, category_id, value FROM image_annotations WHERE run_id = ? ORDER BY arm_index, position',
  );

  return {
    categories(): AnnotationCategory[] {
      return selectCategories.all().map(categoryOf);
    },

    /** Saves a category; annotations whose option was removed are dropped with it. */
    saveCategory: db.transaction((input: z.output<typeof AnnotationCategoryInput>): AnnotationCategory => {
      const id = input.id ?? randomUUID();
      const options = JSON.stringify(input.options);
      try {
        upsertCategory.run({ id, name: input.name, options, now: now() });
      } catch (error) {
        if (String(error).includes('UNIQUE')) throw new AppError('conflict', `There is already a category called "${input.name}". Pick another name.`);
        throw error;
      }
      dropStale.run(id, options);
      return categoryOf(selectCategory.get(id));
    }),

    deleteCategory(id: string): boolean {
      return deleteCategory.run(id).changes > 0;
    },

    /** Sets (or with null clears) what a reviewer perceives in one image for one category. */
    annotate(runId: string, armIndex: number, position: number, categoryId: string, value: string | null): void {
      const category = selectCategory.get(categoryId);
      if (!category) throw new AppError('not_found', 'That annotation category was deleted. Pick another one.');
      if (!selectSample.get(runId, armIndex, position)) throw new AppError('not_found', 'That image is no longer in your history.');
      if (value === null) {
        clearAnnotation.run(runId, armIndex, position, categoryId);
        return;
      }
      if (!categoryOf(category).options.includes(value)) throw new AppError('bad_input', `"${value}" is not one of this category's options.`);
      upsertAnnotation.run(runId, armIndex, position, categoryId, value, now());
    },

    forRun(runId: string): ImageAnnotation[] {
      return selectForRun.all(runId).map((raw) => {
        const row = AnnotationRow.parse(raw);
        return { armIndex: row.arm_index, position: row.position, categoryId: row.category_id, value: row.value };
      });
    },
  };
}

export type ImageAnnotationRepo = ReturnType<typeof createImageAnnotationRepo>;
