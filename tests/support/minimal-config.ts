/** A valid comparison configuration for tests that write runs straight to the store. */
import type { ExperimentConfig } from '../../shared/domain';

export function minimalConfig(prompt = 'Describe a typical nurse.', modelId = 'amazon.nova-lite-v1:0', mitigatedLabels: readonly string[] = ['Mitigated']): ExperimentConfig {
  return {
    variables: [],
    arms: [
      { mode: 'baseline', label: 'Baseline', modelId, inference: {}, system: '', history: [], template: prompt },
      ...mitigatedLabels.map((label) => ({ mode: 'derived' as const, label, steps: [], overrides: {} })),
    ],
  };
}
