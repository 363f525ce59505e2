/**
 * The Bedrock service layer, exposed as `services.bedrock`. Pure Node: takes its clients,
 * catalog and clock as arguments and never imports electron.
 */
import { performance } from 'node:perf_hooks';
import type { BedrockSettings, ConnectionTestResult } from '../../../shared/contract/settings';
import type { CatalogService } from './catalog';
import { createBedrockClients, loadSdk, type BedrockClients } from './clients';
import { createEmbeddingService } from './embeddings';
import { toBedrockError } from './errors';
import { createGuardrailService } from './guardrails';
import { createImageService } from './images';
import { createTextService } from './text';

export { createBedrockClients, defaultEndpoint, type BedrockClients } from './clients';
export { createCatalogService, type CatalogService } from './catalog';
export { BedrockError, toBedrockError, isCancelled, type BedrockErrorContext, type BedrockErrorKind, type PartialOutput } from './errors';
export { createSettingsService, type SettingsService } from './settings';
export { listAwsProfiles } from './profiles';
export type { CallMetrics, ConverseInput, ConverseResult, StreamEvent, CallOptions } from './text';
export type { ImageRequest, ImageResult } from './images';
export type { EmbedOptions, EmbedManyOptions, Embedding } from './embeddings';
export type { GuardrailCheckInput, GuardrailCheckResult, GuardrailAssessment, GuardrailTrace } from './guardrails';
export { parseGuardrailTrace } from './guardrails';

export interface BedrockDeps {
  clients: BedrockClients;
  catalog: CatalogService;
  /** A monotonic clock in milliseconds, for time to first token and total time. */
  now?: () => number;
}

export function createBedrockService({ clients, catalog, now = () => performance.now() }: BedrockDeps) {
  const text = createTextService({ clients, now });
  const images = createImageService({ clients });
  const embeddings = createEmbeddingService({ clients });
  const guardrails = createGuardrailService({ clients });

  return {
    converse: text.converse,
    converseStream: text.converseStream,
    generateImages: images.generateImages,
    embed: embeddings.embed,
    embedMany: embeddings.embedMany,
    applyGuardrail: guardrails.applyGuardrail,
    /** Cost in USD of a text call (user price or shipped estimate); null when unknown. */
    estimateCost: catalog.estimateCost,

    /**
     * A cheap real call (ListFoundationModels) with the saved settings, or with `candidate`
     * settings (unsaved form values) through throw-away clients. Never throws.
     */
    async testConnection(candidate?: BedrockSettings): Promise<ConnectionTestResult> {
      const temporary = candidate ? createBedrockClients(() => candidate) : undefined;
      const using = temporary ?? clients;
      const settings = using.settings();
      const where = { region: settings.region, endpoint: settings.endpoint, profile: settings.profile };
      const started = now();
      try {
        const { ListFoundationModelsCommand } = await loadSdk();
        const models = (await (await using.control()).send(new ListFoundationModelsCommand({}))).modelSummaries ?? [];
        return { ok: true, ...where, modelCount: models.length, elapsedMs: Math.round(now() - started) };
      } catch (error) {
        const context = { operation: 'ListFoundationModels', ...where, endpoint: using.endpointOf('control'), timeoutMs: settings.timeoutMs };
        return { ok: false, ...where, error: toBedrockError(error, context).toShape() };
      } finally {
        temporary?.destroy();
      }
    },
  };
}

export type BedrockService = ReturnType<typeof createBedrockService>;
