/**
 * The model catalog: what Bedrock lists for this account and region (foundation models,
 * inference profiles, guardrails), cached in SQLite so pickers work offline, merged with the
 * shipped fallback list (resources/models.json) and the user's own prices.
 */
import type { FoundationModelSummary, GuardrailSummary, InferenceProfileSummary } from '@aws-sdk/client-bedrock';
import shipped from '../../../resources/models.json';
import type { CatalogGuardrail, CatalogRefresh, CatalogModel, Modality, ModelCatalog, ModelPrice } from '../../../shared/contract/models';
import type { CatalogRepo, CatalogRow } from '../store/catalog';
import { loadSdk, type BedrockClients } from './clients';
import { toBedrockError } from './errors';

export interface ShippedModel {
  id: string;
  name: string;
  provider: string;
  modality: Modality;
  inputPer1k?: number;
  outputPer1k?: number;
  perImage?: number;
}

export const SHIPPED_MODELS: readonly ShippedModel[] = (shipped as { models: ShippedModel[] }).models;

const GEO_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\./;

/** The foundation model id behind an id, profile id or ARN ("us.anthropic.x" → "anthropic.x"). */
export function baseModelId(modelId: string): string {
  const tail = modelId.includes('/') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return tail.replace(GEO_PREFIX, '');
}

function modalityOf(outputModalities: readonly string[] | undefined): Modality | null {
  const outputs = outputModalities ?? [];
  if (outputs.includes('EMBEDDING')) return 'embedding';
  if (outputs.includes('IMAGE')) return 'image';
  if (outputs.includes('TEXT')) return 'text';
  return null;
}

type NewRow = Omit<CatalogRow, 'region' | 'fetchedAt'>;

/** Bedrock's list answers → cache rows. Pure: unit-tested. */
export function catalogRows(
  models: readonly FoundationModelSummary[],
  profiles: readonly InferenceProfileSummary[],
  guardrails: readonly GuardrailSummary[],
): NewRow[] {
  const rows: NewRow[] = [];
  const modalityById = new Map<string, Modality | null>();
  for (const model of models) {
    if (!model.modelId) continue;
    const modality = modalityOf(model.outputModalities);
    modalityById.set(model.modelId, modality);
    rows.push({
      kind: 'model',
      id: model.modelId,
      name: model.modelName ?? model.modelId,
      provider: model.providerName ?? '',
      modality,
      data: {
        streaming: model.responseStreamingSupported ?? null,
        inferenceTypes: model.inferenceTypesSupported ?? [],
        lifecycle: model.modelLifecycle?.status ?? null,
        inputModalities: model.inputModalities ?? [],
      },
    });
  }
  for (const profile of profiles) {
    if (!profile.inferenceProfileId) continue;
    const firstArn = profile.models?.[0]?.modelArn;
    const base = firstArn ? baseModelId(firstArn) : baseModelId(profile.inferenceProfileId);
    const shippedBase = SHIPPED_MODELS.find((model) => model.id === base);
    const baseRow = rows.find((row) => row.kind === 'model' && row.id === base);
    rows.push({
      kind: 'profile',
      id: profile.inferenceProfileId,
      name: profile.inferenceProfileName ?? profile.inferenceProfileId,
      provider: baseRow?.provider || shippedBase?.provider || providerFromId(base),
      modality: modalityById.get(base) ?? shippedBase?.modality ?? 'text',
      data: { baseModelId: base, status: profile.status ?? null, type: profile.type ?? null, arn: profile.inferenceProfileArn ?? null },
    });
  }
  for (const guardrail of guardrails) {
    if (!guardrail.id) continue;
    rows.push({
      kind: 'guardrail',
      id: guardrail.id,
      name: guardrail.name ?? guardrail.id,
      provider: '',
      modality: null,
      data: { version: guardrail.version ?? 'DRAFT', status: guardrail.status ?? null, arn: guardrail.arn ?? null },
    });
  }
  return rows;
}

function providerFromId(id: string): string {
  const vendor = id.split('.')[0] ?? '';
  return vendor.charAt(0).toUpperCase() + vendor.slice(1);
}

interface MergeInput {
  region: string;
  fetchedAt: number | null;
  cached: readonly CatalogRow[];
  prices: ReadonlyMap<string, { inputPer1k: number | null; outputPer1k: number | null; perImage: number | null }>;
}

/** Looks up a price: the user's own for this id or its base model, else the shipped estimate. */
export function priceFor(modelId: string, prices: MergeInput['prices']): ModelPrice | null {
  const base = baseModelId(modelId);
  const user = prices.get(modelId) ?? prices.get(base);
  if (user) return { ...user, source: 'user' };
  const model = SHIPPED_MODELS.find((entry) => entry.id === modelId) ?? SHIPPED_MODELS.find((entry) => entry.id === base);
  if (!model || (model.inputPer1k === undefined && model.outputPer1k === undefined && model.perImage === undefined)) return null;
  return { inputPer1k: model.inputPer1k ?? null, outputPer1k: model.outputPer1k ?? null, perImage: model.perImage ?? null, source: 'estimate' };
}

/** Cache + shipped list + prices → what the pickers show. Pure: unit-tested. */
export function mergeCatalog({ region, fetchedAt, cached, prices }: MergeInput): ModelCatalog {
  const models = new Map<string, CatalogModel>();
  for (const row of cached) {
    if (row.kind === 'guardrail' || row.modality === null) continue;
    const data = (row.data ?? {}) as { streaming?: boolean | null; inferenceTypes?: string[]; baseModelId?: string };
    models.set(row.id, {
      id: row.id,
      name: row.name,
      provider: row.provider,
      modality: row.modality,
      kind: row.kind,
      source: 'account',
      listed: true,
      streaming: data.streaming ?? null,
      inferenceTypes: data.inferenceTypes ?? [],
      baseModelId: row.kind === 'profile' ? (data.baseModelId ?? baseModelId(row.id)) : null,
      price: priceFor(row.id, prices),
    });
  }
  for (const entry of SHIPPED_MODELS) {
    const existing = models.get(entry.id);
    if (existing) {
      existing.source = 'both';
      continue;
    }
    models.set(entry.id, {
      id: entry.id,
      name: entry.name,
      provider: entry.provider,
      modality: entry.modality,
      kind: 'model',
      source: 'shipped',
      listed: fetchedAt === null ? null : false,
      streaming: null,
      inferenceTypes: [],
      baseModelId: null,
      price: priceFor(entry.id, prices),
    });
  }
  const guardrails: CatalogGuardrail[] = cached
    .filter((row) => row.kind === 'guardrail')
    .map((row) => {
      const data = (row.data ?? {}) as { version?: string; status?: string | null; arn?: string | null };
      return { id: row.id, name: row.name, version: data.version ?? 'DRAFT', status: data.status ?? '', arn: data.arn ?? null };
    });
  const sorted = [...models.values()].sort(
    (a, b) => a.provider.localeCompare(b.provider) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  return { region, fetchedAt, models: sorted, guardrails };
}

/** Cost in USD of one text call, or null when the price or the token counts are unknown. */
export function costOf(price: ModelPrice | null, inputTokens: number | null, outputTokens: number | null): number | null {
  if (!price || inputTokens === null) return null;
  if (price.inputPer1k === null) return null;
  const output = outputTokens ?? 0;
  if (output > 0 && price.outputPer1k === null) return null;
  return (inputTokens / 1000) * price.inputPer1k + (output / 1000) * (price.outputPer1k ?? 0);
}

async function allPages<T>(fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page += 1) {
    const result = await fetchPage(token);
    items.push(...result.items);
    token = result.nextToken;
    if (!token) break;
  }
  return items;
}

export function createCatalogService({ repo, clients }: { repo: CatalogRepo; clients: BedrockClients }) {
  function priceMap() {
    return new Map(repo.prices().map((row) => [row.modelId, { inputPer1k: row.inputPer1k, outputPer1k: row.outputPer1k, perImage: row.perImage }]));
  }

  function list(filter: { modality?: Modality } = {}): ModelCatalog {
    const region = clients.settings().region;
    const catalog = mergeCatalog({ region, fetchedAt: repo.fetchedAt(region), cached: repo.list(region), prices: priceMap() });
    return filter.modality ? { ...catalog, models: catalog.models.filter((model) => model.modality === filter.modality) } : catalog;
  }

  function errorContext(operation: string) {
    const settings = clients.settings();
    return { operation, region: settings.region, endpoint: clients.endpointOf('control'), profile: settings.profile, timeoutMs: settings.timeoutMs };
  }

  async function fetchFoundationModels(signal?: AbortSignal): Promise<FoundationModelSummary[]> {
    try {
      const { ListFoundationModelsCommand } = await loadSdk();
      const output = await (await clients.control()).send(new ListFoundationModelsCommand({}), signal ? { abortSignal: signal } : {});
      return output.modelSummaries ?? [];
    } catch (error) {
      throw toBedrockError(error, errorContext('ListFoundationModels'));
    }
  }

  return {
    list,

    fetchFoundationModels,

    /**
     * Fetches the catalog from Bedrock and replaces this region's cache. Foundation models must
     * load; inference profiles and guardrails are best effort (an identity may lack those rights).
     */
    async refresh(options: { signal?: AbortSignal } = {}): Promise<CatalogRefresh> {
      const region = clients.settings().region;
      const { signal } = options;
      const send = signal ? { abortSignal: signal } : {};
      const warnings: string[] = [];
      const bestEffort = <T>(what: string, operation: string, consequence: string) => (error: unknown): T[] => {
        warnings.push(`${what} could not be listed: ${toBedrockError(error, errorContext(operation)).message} ${consequence}`);
        return [];
      };
      const [models, profiles, guardrails] = await Promise.all([
        fetchFoundationModels(signal),
        allPages(async (nextToken) => {
          const { ListInferenceProfilesCommand } = await loadSdk();
          const output = await (await clients.control()).send(new ListInferenceProfilesCommand({ nextToken, maxResults: 1000 }), send);
          return { items: output.inferenceProfileSummaries ?? [], nextToken: output.nextToken };
        }).catch(bestEffort<InferenceProfileSummary>('Inference profiles', 'ListInferenceProfiles', 'Models reached through a profile are missing from the pickers; you can still type their id.')),
        allPages(async (nextToken) => {
          const { ListGuardrailsCommand } = await loadSdk();
          const output = await (await clients.control()).send(new ListGuardrailsCommand({ nextToken, maxResults: 1000 }), send);
          return { items: output.guardrails ?? [], nextToken: output.nextToken };
        }).catch(bestEffort<GuardrailSummary>('Guardrails', 'ListGuardrails', 'Guardrail pickers stay empty; you can still type a guardrail id.')),
      ]);
      repo.replace(region, catalogRows(models, profiles, guardrails));
      return { ...list(), warnings };
    },

    /** Sets the user's price for a model (USD per 1,000 tokens / per image); null clears one field. */
    setPrice(modelId: string, price: { inputPer1k: number | null; outputPer1k: number | null; perImage: number | null }): ModelCatalog {
      repo.setPrice(modelId, price);
      return list();
    },

    /** Drops the user's price so the shipped estimate applies again. */
    resetPrice(modelId: string): ModelCatalog {
      repo.resetPrice(modelId);
      return list();
    },

    priceOf(modelId: string): ModelPrice | null {
      return priceFor(modelId, priceMap());
    },

    /** USD for one call, from the user's price or the shipped estimate; null when unknown. */
    estimateCost(modelId: string, inputTokens: number | null, outputTokens: number | null): number | null {
      return costOf(priceFor(modelId, priceMap()), inputTokens, outputTokens);
    },

    /** USD for `count` generated images; null when unknown. */
    estimateImageCost(modelId: string, count: number): number | null {
      const price = priceFor(modelId, priceMap());
      return price?.perImage != null ? price.perImage * count : null;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
