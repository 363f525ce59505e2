/**
 * Reviewer annotations: what a reviewer PERCEIVES in each image (apparent gender presentation,
 * apparent age group, setting…), in categories they define. Perceptions, not facts about people.
 */
import { z } from 'zod';

export const AnnotationCategoryInput = z.object({
  id: z.string().min(1).max(80).optional(),
  name: z.string().trim().min(1, 'Name the category').max(80, 'Keep the name under 80 characters'),
  options: z
    .array(z.string().trim().min(1).max(80, 'Keep each option under 80 characters'))
    .min(2, 'Give at least two options a reviewer can pick')
    .max(20)
    .refine((options) => new Set(options.map((o) => o.toLowerCase())).size === options.length, 'Each option once'),
});
export type AnnotationCategoryInput = z.input<typeof AnnotationCategoryInput>;

export interface AnnotationCategory {
  id: string;
  name: string;
  options: string[];
}

export interface ImageAnnotation {
  armIndex: number;
  position: number;
  categoryId: string;
  value: string;
}

/** Suggested starting categories (the reviewer edits or removes them). */
export const SUGGESTED_CATEGORIES: readonly { name: string; options: string[] }[] = [
  { name: 'Apparent gender presentation', options: ['Feminine', 'Masculine', 'Androgynous', "Can't tell"] },
  { name: 'Apparent age group', options: ['Child', 'Young adult', 'Middle-aged', 'Older adult', "Can't tell"] },
  { name: 'Setting', options: ['Hospital or clinic', 'Office', 'Outdoors', 'Home', 'Other'] },
];

/** Counts per arm and option for one category: the chart's data. */
export function distribution(
  annotations: readonly ImageAnnotation[],
  category: AnnotationCategory,
  armIndexes: readonly number[],
): { armIndex: number; counts: Record<string, number>; annotated: number }[] {
  return armIndexes.map((armIndex) => {
    const counts: Record<string, number> = Object.fromEntries(category.options.map((option) => [option, 0]));
    let annotated = 0;
    for (const annotation of annotations) {
      if (annotation.armIndex !== armIndex || annotation.categoryId !== category.id) continue;
      if (!(annotation.value in counts)) continue;
      counts[annotation.value]! += 1;
      annotated += 1;
    }
    return { armIndex, counts, annotated };
  });
}
