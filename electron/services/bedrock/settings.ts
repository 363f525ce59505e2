/**
 * Bedrock settings: read once, kept in memory, persisted in the `settings` table under one key.
 * Saving notifies listeners; the client factory reads `get()` on every call, so a change takes
 * effect on the next Bedrock call without a restart.
 */
import { BedrockSettings, DEFAULT_BEDROCK_SETTINGS, DefaultModels, type BedrockSettingsInput } from '../../../shared/contract/settings';
import type { SettingsRepo } from '../store/settings';

export const BEDROCK_SETTINGS_KEY = 'bedrock';

/** Reads stored settings leniently: a field that no longer validates falls back to its default. */
export function readStoredSettings(stored: unknown): BedrockSettings {
  if (stored === undefined || stored === null || typeof stored !== 'object') return DEFAULT_BEDROCK_SETTINGS;
  const whole = BedrockSettings.safeParse(stored);
  if (whole.success) return whole.data;
  const record = stored as Record<string, unknown>;
  const result: Record<string, unknown> = { ...DEFAULT_BEDROCK_SETTINGS };
  for (const key of Object.keys(BedrockSettings.shape) as (keyof BedrockSettings)[]) {
    if (!(key in record)) continue;
    const field = BedrockSettings.shape[key].safeParse(record[key]);
    if (field.success) result[key] = field.data;
    else if (key === 'models' && typeof record.models === 'object' && record.models !== null) {
      const models: Record<string, unknown> = { ...DEFAULT_BEDROCK_SETTINGS.models };
      for (const name of Object.keys(DefaultModels.shape) as (keyof DefaultModels)[]) {
        const one = DefaultModels.shape[name].safeParse((record.models as Record<string, unknown>)[name]);
        if (one.success) models[name] = one.data;
      }
      result.models = models;
    }
  }
  return BedrockSettings.parse(result);
}

export function createSettingsService(repo: SettingsRepo) {
  let current = readStoredSettings(repo.get(BEDROCK_SETTINGS_KEY));
  const listeners = new Set<(settings: BedrockSettings) => void>();

  return {
    get(): BedrockSettings {
      return current;
    },

    /** Validates, stores and applies new settings; returns what was stored (defaults filled in). */
    save(input: BedrockSettingsInput): BedrockSettings {
      const next = BedrockSettings.parse(input);
      repo.set(BEDROCK_SETTINGS_KEY, next);
      current = next;
      for (const listener of listeners) listener(next);
      return next;
    },

    /** Applies a partial change on top of the current settings (tests, scripts). */
    update(patch: Partial<BedrockSettingsInput>): BedrockSettings {
      return this.save({ ...current, ...patch });
    },

    onChange(listener: (settings: BedrockSettings) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
