import type { Db } from './db';

export type CatalogKind = 'model' | 'profile' | 'guardrail';
export type CatalogModality = 'text' | 'image' | 'embedding';

export interface CatalogRow {
  region: string;
  kind: CatalogKind;
  id: string;
  name: string;
  provider: string;
  modality: CatalogModality | null;
  /** The entry's remaining fields as fetched (JSON). */
  data: unknown;
  fetchedAt: number;
}

export interface PriceRow {
  modelId: string;
  inputPer1k: number | null;
  outputPer1k: number | null;
  perImage: number | null;
  updatedAt: number;
}

interface RawCatalogRow {
  region: string;
  kind: CatalogKind;
  id: string;
  name: string;
  provider: string;
  modality: CatalogModality | null;
  data: string;
  fetched_at: number;
}

/** The model catalog cache (per region) and the user's model prices. */
export function createCatalogRepo(db: Db, now: () => number = Date.now) {
  const selectRegion = db.prepare<[string], RawCatalogRow>('SELECT * FROM model_catalog WHERE region = ? ORDER BY kind, provider, name');
  const deleteRegion = db.prepare('DELETE FROM model_catalog WHERE region = ?');
  const insert = db.prepare(
    `INSERT INTO model_catalog (region, kind, id, name, provider, modality, data, fetched_at)
     VALUES (@region, @kind, @id, @name, @provider, @modality, @data, @fetchedAt)`,
  );
  const upsertRefresh = db.prepare(
    `INSERT INTO model_catalog_refreshes (region, fetched_at) VALUES (?, ?)
     ON CONFLICT (region) DO UPDATE SET fetched_at = excluded.fetched_at`,
  );
  const selectRefresh = db.prepare<[string], { fetched_at: number }>('SELECT fetched_at FROM model_catalog_refreshes WHERE region = ?');
  const selectPrices = db.prepare<[], { model_id: string; input_per_1k: number | null; output_per_1k: number | null; per_image: number | null; updated_at: number }>(
    'SELECT * FROM model_prices',
  );
  const upsertPrice = db.prepare(
    `INSERT INTO model_prices (model_id, input_per_1k, output_per_1k, per_image, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (model_id) DO UPDATE SET input_per_1k = excluded.input_per_1k, output_per_1k = excluded.output_per_1k,
       per_image = excluded.per_image, updated_at = excluded.updated_at`,
  );
  const deletePrice = db.prepare('DELETE FROM model_prices WHERE model_id = ?');

  return {
    list(region: string): CatalogRow[] {
      return selectRegion.all(region).map((row) => ({
        region: row.region,
        kind: row.kind,
        id: row.id,
        name: row.name,
        provider: row.provider,
        modality: row.modality,
        data: JSON.parse(row.data) as unknown,
        fetchedAt: row.fetched_at,
      }));
    },

    /** When the region's catalog was last fetched; null if never. */
    fetchedAt(region: string): number | null {
      return selectRefresh.get(region)?.fetched_at ?? null;
    },

    /** Replaces the region's cached catalog in one transaction. */
    replace: db.transaction((region: string, rows: Omit<CatalogRow, 'region' | 'fetchedAt'>[]): number => {
      const fetchedAt = now();
      deleteRegion.run(region);
      const seen = new Set<string>();
      for (const row of rows) {
        const key = `${row.kind}\u0000${row.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        insert.run({ ...row, region, data: JSON.stringify(row.data ?? {}), fetchedAt });
      }
      upsertRefresh.run(region, fetchedAt);
      return fetchedAt;
    }),

    prices(): PriceRow[] {
      return selectPrices.all().map((row) => ({
        modelId: row.model_id,
        inputPer1k: row.input_per_1k,
        outputPer1k: row.output_per_1k,
        perImage: row.per_image,
        updatedAt: row.updated_at,
      }));
    },

    setPrice(modelId: string, price: { inputPer1k: number | null; outputPer1k: number | null; perImage: number | null }): void {
      upsertPrice.run(modelId, price.inputPer1k, price.outputPer1k, price.perImage, now());
    },

    resetPrice(modelId: string): boolean {
      return deletePrice.run(modelId).changes > 0;
    },
  };
}

export type CatalogRepo = ReturnType<typeof createCatalogRepo>;
