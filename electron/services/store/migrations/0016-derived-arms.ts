import { upgradeConfig } from '../../../../shared/arms/upgrade';
import { BUILT_IN_TECHNIQUES, type Technique } from '../../../../shared/techniques';
import type { Migration } from './index';

interface TechniqueRow {
  id: string;
  name: string;
  summary: string;
  explanation: string;
  system: string;
  wrap: string;
}

/**
 * Derived arms (issue 9): every stored experiment's and run's configuration is rewritten in the
 * arm model of shared/arms/model.ts. A stored arm that equals "technique applied to its
 * baseline" (shipped techniques and the user's own, from the techniques table) becomes derived;
 * anything else becomes detached (shared/arms/upgrade.ts). Runs keep their full snapshot: only
 * `runs.config` changes; each arm's request as sent (arm_outputs.request) stays as it was.
 * A row whose configuration is not valid JSON is left as it is.
 */
export const m0016DerivedArms: Migration = {
  version: 16,
  name: 'derived-arms',
  up(db) {
    const hasTechniques = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'techniques'").get() !== undefined;
    const mine = hasTechniques
      ? (db.prepare('SELECT id, name, summary, explanation, system, wrap FROM techniques').all() as TechniqueRow[]).map((row): Technique => ({ ...row, builtIn: false }))
      : [];
    const library = [...BUILT_IN_TECHNIQUES, ...mine.filter((t) => !BUILT_IN_TECHNIQUES.some((b) => b.id === t.id))];
    for (const table of ['experiments', 'runs'] as const) {
      const rows = db.prepare(`SELECT rowid AS rid, config FROM ${table}`).all() as { rid: number; config: string }[];
      const update = db.prepare(`UPDATE ${table} SET config = ? WHERE rowid = ?`);
      for (const row of rows) {
        let stored: unknown;
        try {
          stored = JSON.parse(row.config);
        } catch {
          continue;
        }
        const upgraded = upgradeConfig(stored, library);
        if (upgraded !== stored) update.run(JSON.stringify(upgraded), row.rid);
      }
    }
  },
};
