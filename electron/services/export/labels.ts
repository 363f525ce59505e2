/** What the report writers need to name things beyond the shipped names: the user's own techniques. */
import type { Db } from '../store';

/** Friendly names a report needs beyond the shipped ones: the user's own techniques by id. */
export interface ReportLabels {
  techniques?: ReadonlyMap<string, string>;
}

/** The user's own technique names (a small table), read once per export. */
export function readReportLabels(db: Db): ReportLabels {
  const has = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'techniques'").pluck().get() !== undefined;
  if (!has) return {};
  const rows = db.prepare<[], { id: string; name: string }>('SELECT id, name FROM techniques').all();
  return { techniques: new Map(rows.map((row) => [row.id, row.name])) };
}
