import { z } from 'zod';
import { channel } from './channel';

export const MODALITIES = ['text', 'image', 'embedding'] as const;
export type Modality = (typeof MODALITIES)[number];

/** USD. `source` says whether it is the shipped list estimate or the user's own figure. */
export interface ModelPrice {
  inputPer1k: number | null;
  outputPer1k: number | null;
  perImage: number | null;
  source: 'estimate' | 'user';
}

export interface CatalogModel {
  /** What to send as modelId: a foundation model id or an inference profile id. */
  id: string;
  name: string;
  provider: string;
  modality: Modality;
  kind: 'model' | 'profile';
  /** 'account': listed by Bedrock for this region; 'shipped': only in Parallax's fallback list. */
  source: 'account' | 'shipped' | 'both';
  /** Listed for this region in the last refresh; null when the catalog was never fetched. */
  listed: boolean | null;
  streaming: boolean | null;
  /** ON_DEMAND, INFERENCE_PROFILE, PROVISIONED (as Bedrock reports them). */
  inferenceTypes: string[];
  /** For an inference profile: the foundation model it routes to. */
  baseModelId: string | null;
  price: ModelPrice | null;
}

export interface CatalogGuardrail {
  id: string;
  name: string;
  version: string;
  status: string;
  arn: string | null;
}

export interface ModelCatalog {
  region: string;
  /** When this region's catalog was last fetched from Bedrock; null = never (shipped list only). */
  fetchedAt: number | null;
  models: CatalogModel[];
  guardrails: CatalogGuardrail[];
}

/** A refresh's result: the catalog, and what could not be listed (best-effort lists), said plainly. */
export interface CatalogRefresh extends ModelCatalog {
  warnings: string[];
}

const Price = z.number().min(0).max(1_000).nullable();

export const SetPriceRequest = z.union([
  z.object({
    modelId: z.string().trim().min(1).max(200),
    inputPer1k: Price,
    outputPer1k: Price,
    perImage: Price.default(null),
  }),
  z.object({ modelId: z.string().trim().min(1).max(200), reset: z.literal(true) }),
]);

export const modelChannels = {
  'models:list': channel(z.object({ modality: z.enum(MODALITIES).optional() })).returns<ModelCatalog>(),
  'models:refresh': channel(z.object({})).returns<CatalogRefresh>(),
  'models:set-price': channel(SetPriceRequest).returns<ModelCatalog>(),
};
