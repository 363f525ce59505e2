import type { Services } from '../services';
import type { DomainHandlers } from './types';

export function modelHandlers(services: Services): DomainHandlers<'models'> {
  return {
    'models:list': async ({ modality }) => services.catalog.list(modality ? { modality } : {}),
    'models:refresh': async () => services.catalog.refresh(),
    'models:set-price': async (request) =>
      'reset' in request
        ? services.catalog.resetPrice(request.modelId)
        : services.catalog.setPrice(request.modelId, {
            inputPer1k: request.inputPer1k,
            outputPer1k: request.outputPer1k,
            perImage: request.perImage,
          }),
  };
}
