/**
 * What the editor can tell about the grounding steps (issue 11) before a run: a retrieve step
 * needs a corpus, and a clarify step needs a retrieve step above it (it asks only when the
 * sources found there don't settle the question). Whether the corpus still exists is the editor's
 * to check (it lists the corpora); the engine refuses the same cases when an arm runs.
 */
import type { StepConfig } from './registry';

export const NEEDS_CORPUS = 'Choose a corpus to retrieve from (create one in Corpora if the list is empty).';
export const NEEDS_RETRIEVE = '“Ask a clarifying question” needs a “Retrieve sources” step above it in this arm: it asks only when the sources found there don’t settle the question.';

export function groundingProblem(steps: readonly StepConfig[], index: number): string | null {
  const step = steps[index];
  if (step?.kind === 'retrieve' && step.corpusId.trim() === '') return NEEDS_CORPUS;
  if (step?.kind === 'clarify' && !steps.slice(0, index).some((s) => s.kind === 'retrieve')) return NEEDS_RETRIEVE;
  return null;
}
