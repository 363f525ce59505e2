import type { Services } from '../services';
import type { DomainHandlers, EmitEvent } from './types';

export function scoreHandlers(services: Services, emit: EmitEvent): DomainHandlers<'scores'> & DomainHandlers<'judges'> {
  const { scores } = services;
  // Progress of every scoring job (the ones started here and the runner's automatic ones).
  scores.onProgress((progress) => {
    emit('scores:progress', progress);
    if (progress.finished) emit('scores:changed', { runId: progress.runId });
  });
  return {
    'scores:get': async ({ runId }) => scores.get(runId),
    'scores:run': async ({ runId, metrics, judges, robustness, arms, inputs }) =>
      scores.run(runId, { metrics, judges, robustness, ...(arms ? { arms } : {}), ...(inputs ? { inputs } : {}) }),
    'scores:cancel': async ({ runId }) => ({ cancelled: scores.cancel(runId) }),
    'scores:rate': async ({ runId, ...rating }) => {
      const result = scores.rate(runId, rating);
      emit('scores:changed', { runId });
      // A note written here is the run's note in History too (list badge, search).
      if (rating.note !== undefined) emit('history:changed', { reason: 'update' });
      return result;
    },
    'scores:settings-get': async ({ experimentId }) => scores.settings(experimentId),
    'scores:settings-save': async ({ experimentId, settings }) => scores.saveSettings(experimentId, settings),
    'judges:prompts-get': async () => scores.prompts(),
    'judges:prompts-save': async ({ judgeId, prompt }) => scores.savePrompt(judgeId, prompt),
  };
}
