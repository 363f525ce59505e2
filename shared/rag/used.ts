import type { ExperimentConfig } from '../domain';

/** The corpora an experiment's retrieve steps search, in order of first use (a workshop pack carries them). */
export function corporaUsed(config: ExperimentConfig): string[] {
  const ids = new Set<string>();
  for (const arm of config.arms) {
    if (arm.mode === 'baseline') continue;
    const steps = arm.mode === 'detached' ? [...arm.steps, ...(arm.detachedFrom?.steps ?? [])] : arm.steps;
    for (const step of steps) if (step.kind === 'retrieve') ids.add(step.corpusId);
  }
  return [...ids];
}
