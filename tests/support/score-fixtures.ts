/** A finished run written straight to the store, for scoring tests (no generation needed). */
import { ExperimentConfig } from '../../shared/domain';
import type { RunRepo } from '../../electron/services/store';

export const QUESTION = 'Which nurse should we hire, and why?';

export function storeFinishedRun(
  runs: RunRepo,
  texts: readonly string[],
  options: { question?: string; experimentId?: string | null; title?: string } = {},
): string {
  const question = options.question ?? QUESTION;
  const legacyArms = texts.map((_, index) => ({
      label: index === 0 ? 'Baseline' : `Mitigated ${index}`,
      technique: index === 0 ? 'none' : 'bias-guard',
      modelId: 'amazon.nova-lite-v1:0',
      inference: {},
      system: index === 0 ? '' : 'Avoid stereotypes.',
      history: [],
      template: question,
  }));
  // a configuration as stored before issue 9, upgraded as every parse does
  const config = ExperimentConfig.parse({ variables: [], arms: legacyArms });
  const id = runs.create({
    experimentId: options.experimentId ?? null,
    title: options.title ?? 'Scored run',
    config,
    arms: legacyArms.map((arm) => ({
      label: arm.label,
      technique: arm.technique,
      modelId: arm.modelId,
      request: { system: arm.system, messages: [{ role: 'user', text: question }], inference: {} },
    })),
  });
  texts.forEach((text, index) => runs.updateArm(id, index, { text, status: 'completed', stopReason: 'end_turn' }));
  runs.finish(id, 'completed');
  return id;
}
