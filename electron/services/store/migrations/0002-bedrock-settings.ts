import type { Migration } from './index';

/**
 * Bedrock settings (a small key/value table for app settings), the model catalog cache that
 * lets model pickers work offline, and the user's model prices (edited estimates).
 */
export const m0002BedrockSettings: Migration = {
  version: 2,
  name: 'bedrock-settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value)),
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE model_catalog (
        region TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('model', 'profile', 'guardrail')),
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        provider TEXT NOT NULL DEFAULT '',
        modality TEXT CHECK (modality IS NULL OR modality IN ('text', 'image', 'embedding')),
        data TEXT NOT NULL CHECK (json_valid(data)),
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (region, kind, id)
      ) STRICT;

      CREATE TABLE model_catalog_refreshes (
        region TEXT PRIMARY KEY,
        fetched_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE model_prices (
        model_id TEXT PRIMARY KEY,
        input_per_1k REAL CHECK (input_per_1k IS NULL OR input_per_1k >= 0),
        output_per_1k REAL CHECK (output_per_1k IS NULL OR output_per_1k >= 0),
        per_image REAL CHECK (per_image IS NULL OR per_image >= 0),
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
