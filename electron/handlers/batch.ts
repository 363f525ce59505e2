import { AppError } from '../../shared/errors';
import type { Services } from '../services';
import { parseDataset } from '../services/batch/parse';
import type { DomainHandlers, EmitEvent } from './types';

const PREVIEW_ROWS = 10;

export function datasetHandlers(services: Services): DomainHandlers<'datasets'> {
  const { batchRepo } = services;
  const require = (id: string) => {
    const dataset = batchRepo.dataset(id);
    if (!dataset) throw new AppError('not_found', 'That dataset is no longer saved. Import it again.');
    return dataset;
  };
  return {
    'datasets:inspect': async ({ name, format, text }) => {
      const parsed = parseDataset(text, format);
      return { name, format, columns: parsed.columns, rowCount: parsed.rows.length, preview: parsed.rows.slice(0, PREVIEW_ROWS) };
    },
    'datasets:save': async ({ name, format, text, mapping }) => {
      const parsed = parseDataset(text, format);
      return batchRepo.createDataset({ name, format, columns: parsed.columns, rows: parsed.rows, mapping });
    },
    'datasets:list': async () => batchRepo.datasets(),
    'datasets:rows': async ({ id, offset, limit }) => {
      const dataset = require(id);
      return { columns: dataset.columns, rows: batchRepo.datasetRows(id, offset, limit), total: dataset.rowCount };
    },
    'datasets:set-mapping': async ({ id, mapping }) => {
      require(id);
      return batchRepo.setMapping(id, mapping)!;
    },
    'datasets:delete': async ({ id }) => ({ deleted: batchRepo.deleteDataset(id) }),
  };
}

export function batchHandlers(services: Services, emit: EmitEvent): DomainHandlers<'batches'> {
  const { batches } = services;
  return {
    'batches:check': async (request) => batches.check(request),
    'batches:start': async (request) => batches.start(request, emit),
    'batches:list': async () => batches.list(),
    'batches:resumable': async () => batches.resumable(),
    'batches:get': async ({ id }) => batches.get(id),
    'batches:stats': async ({ id }) => batches.stats(id),
    'batches:for-run': async ({ runId }) => ({ owner: batches.forRun(runId) }),
    'batches:watch': async ({ id, watching }) => ({ watching: batches.watch(id, watching) }),
    'batches:pause': async ({ id }) => batches.pause(id),
    'batches:resume': async ({ id }) => batches.resume(id, emit),
    'batches:cancel': async ({ id }) => batches.cancel(id),
    'batches:retry-failed': async ({ id }) => batches.retryFailed(id, emit),
    'batches:delete': async ({ id }) => ({ deleted: batches.delete(id) }),
    'batches:export-report': async ({ id }) => {
      const name = (batches.list().find((b) => b.id === id)?.name ?? 'batch').replace(/[^\w\- ]+/g, '').trim() || 'batch';
      const path = await services.dialogs.chooseSaveFile({ title: 'Save the batch report', defaultName: `${name}.html`, filters: [{ name: 'HTML report', extensions: ['html'] }] });
      if (path === null) return { status: 'cancelled' as const };
      await batches.writeReport(id, path);
      return { status: 'done' as const, path };
    },
  };
}
