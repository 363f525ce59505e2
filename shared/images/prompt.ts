/** Pure transforms of an image prompt (the inclusive-prompt step and the editor's preview). */

/** Appends an inclusive addition as its own sentence, once. */
export function addInclusive(prompt: string, addition: string): string {
  const base = prompt.trim();
  const extra = addition.trim();
  if (extra === '' || base.toLowerCase().includes(extra.toLowerCase())) return base;
  if (base === '') return extra;
  return `${base}${/[.!?]$/.test(base) ? '' : '.'} ${extra}`;
}
