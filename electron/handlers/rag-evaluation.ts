/** The evaluation screen's channels (issue 11): run a question set over arms, cancel, export. */
import { evalCsv } from '../../shared/rag/qa';
import type { Services } from '../services';
import { safeFileName } from '../services/dialogs';
import { writeFileAtomic } from '../services/export/files';
import { evalHtml } from '../services/rag/evaluate';
import type { EmitEvent, Handler } from './types';

type EvaluationChannel = 'rag:evaluate' | 'rag:cancel-evaluation' | 'rag:export-evaluation';

export function evaluationHandlers(services: Services, emit: EmitEvent): { [C in EvaluationChannel]: Handler<C> } {
  const { evaluations, rag, settings } = services;
  return {
    'rag:evaluate': async ({ evaluationId, corpusId, set, arms, modelId, judgeModelId }) => {
      const corpus = rag.detail(corpusId).corpus;
      const models = settings.get().models;
      return evaluations.run(
        evaluationId,
        { set, corpusName: corpus.name, arms, modelId: modelId ?? models.generation, judgeModelId: judgeModelId ?? models.judge },
        (progress) => emit('rag:eval-progress', { ...progress, evaluationId }),
      );
    },
    'rag:cancel-evaluation': async ({ evaluationId }) => ({ cancelled: evaluations.cancel(evaluationId) }),
    'rag:export-evaluation': async ({ evaluationId, format }) => {
      const result = evaluations.result(evaluationId);
      const html = format === 'html';
      const path = await services.dialogs.chooseSaveFile({
        title: html ? 'Save the evaluation report' : 'Export the evaluation table',
        defaultName: safeFileName(`${result.setName} evaluation`, html ? 'html' : 'csv'),
        filters: [html ? { name: 'HTML report', extensions: ['html'] } : { name: 'CSV table', extensions: ['csv'] }],
      });
      if (!path) return { path: null };
      writeFileAtomic(path, html ? evalHtml(result) : evalCsv(result));
      return { path };
    },
  };
}
