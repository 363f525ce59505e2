/**
 * The history repository: keyset-paged listing with filters and FTS5 search, stars, tags,
 * notes, soft delete (trash) and collections. Schema: migrations/0005-history.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { RUN_STATUSES, type ArmStatus, type RunStatus } from '../../../shared/domain';
import {
  MATCH_CLOSE,
  MATCH_OPEN,
  type CollectionSummary,
  type HistoryCursor,
  type HistoryFacets,
  type HistoryPage,
  type HistorySort,
  type PackInfo,
  type RunMeta,
  type RunSummary,
  type ValidHistoryFilter,
  TOTAL_CAP,
} from '../../../shared/contract/history';
import type { Db } from './db';

/** Deleted runs stay in the trash this long, then go for good at the next start. */
export const TRASH_DAYS = 30;

/** A validated filter; the rating fields (added later) may be left out by direct callers. */
export type ListFilter = Omit<ValidHistoryFilter, 'rating' | 'minStars' | 'guardBlocked'> & Partial<Pick<ValidHistoryFilter, 'rating' | 'minStars' | 'guardBlocked'>>;

export interface ListOptions {
  filter: ListFilter;
  sort: HistorySort;
  cursor: HistoryCursor | null;
  limit: number;
  withTotal: boolean;
}

/**
 * Turns what a person types into a safe FTS5 query: words and "quoted phrases" become quoted
 * strings (no FTS syntax from the user reaches the parser), `OR` between words is kept, and
 * `-word` excludes. While typing, the last word also matches as a prefix (one letter included:
 * "k" finds the runs with words starting with k, as a search box does), and so does any word
 * typed with a trailing star (`cand*`): `expandPrefix` turns it into the most common indexed
 * terms that start with it (FTS5's own `word*` prefix queries make snippet() re-scan every
 * matching term per row — seconds for a two-letter prefix).
 * Returns null when there is nothing to search for (see searchNotice for what to tell the person).
 */
export function toFtsQuery(input: string, expandPrefix?: (prefix: string) => string[]): string | null {
  const groups: string[][] = [];
  const negative: string[] = [];
  const endsWithSpace = /\s$/.test(input);
  const tokens = [...input.matchAll(/(-?)"([^"]*)"?|(\S+)/g)];
  let pendingOr = false;
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  tokens.forEach((match, index) => {
    const isLast = index === tokens.length - 1;
    if (match[3] === 'OR') {
      pendingOr = groups.length > 0;
      return;
    }
    const negated = match[1] === '-' || (match[3]?.startsWith('-') ?? false);
    const raw = match[2] ?? match[3]!.replace(/^-/, '');
    const isPhrase = match[2] !== undefined;
    const starred = !isPhrase && /[\p{L}\p{N}_]\*+$/u.test(raw);
    const words = raw
      .normalize('NFKC')
      .split(/[^\p{L}\p{N}_]+/u)
      .filter((word) => word.length > 0);
    if (words.length === 0) return;
    let term = quote(words.join(' '));
    const typing = isLast && !endsWithSpace;
    if (!isPhrase && !negated && (typing || starred) && words.length === 1 && expandPrefix) {
      const prefix = words[0]!.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');
      const expanded = expandPrefix(prefix).filter((t) => t !== prefix);
      if (expanded.length > 0) term = `(${[term, ...expanded.map(quote)].join(' OR ')})`;
    }
    if (negated) negative.push(term);
    else if (pendingOr) groups.at(-1)!.push(term);
    else groups.push([term]);
    pendingOr = false;
  });
  if (groups.length === 0) return null;
  let query = groups.map((group) => (group.length > 1 ? `(${group.join(' OR ')})` : group[0]!)).join(' AND ');
  if (negative.length > 0) query = `(${query}) NOT (${negative.join(' OR ')})`;
  return query;
}

/**
 * What to tell a person whose search box holds something but nothing searchable: a lone `"`,
 * `*` or other punctuation (search looks at words and numbers, so these would otherwise match
 * every run), or only `-exclusions`. null when the text is empty or has a word to search for.
 */
export function searchNotice(input: string): string | null {
  if (input.trim() === '' || toFtsQuery(input) !== null) return null;
  const shown = input.trim().length > 24 ? `${input.trim().slice(0, 24)}…` : input.trim();
  if (/(^|\s)-\S*[\p{L}\p{N}]/u.test(input)) {
    return `“${shown}” only excludes words. Add a word to search for, e.g. nurse -pilot.`;
  }
  return `Search looks for words and numbers, so “${shown}” on its own finds nothing. Type a word; put words in "quotes" for a phrase, or end one with * for words that start with it.`;
}

/** The next string after every string starting with `prefix` (for a range scan). */
function prefixEnd(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}

interface SummaryRow {
  rid: number;
  id: string;
  title: string;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  starred: number;
  has_note: number;
  lab_id: string | null;
  pack_id: string | null;
  pack_title: string | null;
  preview: string | null;
  deleted_at: number | null;
  sort_key: number | string;
}

interface PackRow {
  id: string;
  title: string;
  author: string;
  description: string;
  created_at: number;
  imported_at: number;
  run_count: number;
}

interface CollectionRow {
  id: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
  run_count: number;
}

function packFromRow(row: PackRow): PackInfo {
  return {
    id: row.id,
    title: row.title,
    author: row.author,
    description: row.description,
    createdAt: row.created_at,
    importedAt: row.imported_at,
    runCount: row.run_count,
  };
}

function collectionFromRow(row: CollectionRow): CollectionSummary {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    runCount: row.run_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const PACK_SELECT = `SELECT p.*, (SELECT COUNT(*) FROM runs r WHERE r.source_pack_id = p.id AND r.deleted_at IS NULL) AS run_count FROM packs p`;
const COLLECTION_SELECT = `SELECT c.*, (SELECT COUNT(*) FROM collection_runs cr JOIN runs r ON r.id = cr.run_id
  WHERE cr.collection_id = c.id AND r.deleted_at IS NULL) AS run_count FROM collections c`;

export interface HistoryRepoOptions {
  /** Sees each listing query as it runs (the query-plan tests read their EXPLAIN QUERY PLAN). */
  onQuery?(sql: string, params: readonly unknown[]): void;
  /** How many matches a filtered count reads in index order before it gathers them (tests make it small). */
  scanMatches?: number;
  /** How many arms a model or technique may have for its runs to be gathered as a set (tests make it small). */
  armSetLimit?: number;
}

export function createHistoryRepo(db: Db, now: () => number = Date.now, options: HistoryRepoOptions = {}) {
  // Search reads many small pages; a bigger page cache and memory-mapped reads keep it fast.
  db.pragma('cache_size = -32768');
  db.pragma('mmap_size = 268435456');

  const json = (values: readonly string[]) => JSON.stringify(values);

  const PREFIX_TERMS = 12;
  const termsByPopularity = db.prepare<[string, string, number], string>(
    'SELECT term FROM history_vocab WHERE term >= ? AND term < ? ORDER BY doc DESC LIMIT ?',
  ).pluck();
  const termsAlphabetical = db.prepare<[string, string, number], string>(
    'SELECT term FROM history_vocab WHERE term >= ? AND term < ? LIMIT ?',
  ).pluck();
  /**
   * Short prefixes take the first few terms in order (counting every term's documents costs too
   * much); fewer of them, since each OR'd term makes every match, probe and snippet dearer, and a
   * two-letter prefix is a guess that the next keystroke usually replaces.
   */
  const SHORT_PREFIX_TERMS = 5;
  const expandPrefix = (prefix: string): string[] =>
    prefix.length === 0
      ? []
      : prefix.length >= 3
      ? termsByPopularity.all(prefix, prefixEnd(prefix), PREFIX_TERMS)
      : termsAlphabetical.all(prefix, prefixEnd(prefix), SHORT_PREFIX_TERMS);

  const armsOf = db.prepare<[string], { run_id: string; label: string; technique: string; model_id: string; status: ArmStatus }>(
    `SELECT run_id, label, technique, model_id, status FROM arm_outputs
     WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, arm_index`,
  );
  const tagsOf = db.prepare<[string], { run_id: string; name: string }>(
    `SELECT rt.run_id, t.name FROM run_tags rt JOIN tags t ON t.id = rt.tag_id
     WHERE rt.run_id IN (SELECT value FROM json_each(?)) ORDER BY t.name COLLATE NOCASE`,
  );
  const snippetOf = db.prepare<[string, string, string, number], { s: string }>(
    // CAST: with a bound JS number FTS5 ignores the rowid constraint and yields the first match.
    `SELECT snippet(history_fts, -1, ?, ?, '…', 28) AS s FROM history_fts WHERE history_fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
  );

  // Membership tests compare rowids, which every index carries, so no run row is read for them
  // while an index is walked. A query that reads each run row anyway (one driven by the search
  // index, joined by rowid) tests run ids instead: those sets come from the ratings' and arms' own
  // indexes, without a lookup in runs per member.
  /** Runs a person rated: thumbs or stars on any arm, or a preferred arm (or a tie) picked. */
  const RATED_ROWIDS = `SELECT x.rowid FROM arm_ratings ar JOIN runs x ON x.id = ar.run_id
      WHERE ar.thumb IS NOT NULL OR ar.stars IS NOT NULL
    UNION SELECT x.rowid FROM run_ratings rr JOIN runs x ON x.id = rr.run_id WHERE rr.preferred_arm IS NOT NULL`;
  const RATED_IDS = `SELECT ar.run_id FROM arm_ratings ar WHERE ar.thumb IS NOT NULL OR ar.stars IS NOT NULL
    UNION SELECT rr.run_id FROM run_ratings rr WHERE rr.preferred_arm IS NOT NULL`;
  /** `r.rowid IN (SELECT x.rowid FROM <from> JOIN runs x ON x.id = <runId> ...)`, or by run id. */
  const member = (byId: boolean, from: string, runId: string, condition: string, not = false) =>
    byId
      ? `r.id ${not ? 'NOT ' : ''}IN (SELECT ${runId} FROM ${from} WHERE ${condition})`
      : `r.rowid ${not ? 'NOT ' : ''}IN (SELECT x.rowid FROM ${from} JOIN runs x ON x.id = ${runId} WHERE ${condition})`;

  /** How many arms use these models (or techniques), from migration 0014's counters. */
  const ARM_SET_LIMIT = options.armSetLimit ?? 20_000;
  // Migration 0014's counters; the migration tests also open this repository on older schemas,
  // where counting the runs stands in for them.
  const hasCounters = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'history_facet_counts'").get() !== undefined;
  const lazy = <T>(make: () => T): (() => T) => {
    let value: T | undefined;
    return () => (value ??= make());
  };
  const facetCount = lazy(() =>
    db
      .prepare<[string, string], number>(
        'SELECT coalesce(sum(n), 0) FROM history_facet_counts WHERE kind = ? AND value IN (SELECT value FROM json_each(?))',
      )
      .pluck(),
  );
  const armsUsing = (kind: 'model' | 'technique', values: readonly string[]): number =>
    hasCounters ? facetCount().get(kind, json(values))! : 0;

  /** The filter as clauses on `runs r`; `byId` when the query reads each run row anyway (see above). */
  function where(filter: ListFilter, ftsQuery: string | null, byId = false) {
    const clauses: string[] = [filter.trash ? 'r.deleted_at IS NOT NULL' : 'r.deleted_at IS NULL'];
    const params: unknown[] = [];
    if (ftsQuery !== null) {
      // The unary + stops the planner from driving the query from the matches (a lookup and a
      // sort of every match); instead it walks the date index and probes the materialised set of
      // matching rowids, stopping after one page — fast for common and rare words alike.
      clauses.push('+r.rowid IN (SELECT rowid FROM history_fts WHERE history_fts MATCH ?)');
      params.push(ftsQuery);
    }
    if (filter.statuses.length > 0) {
      clauses.push(`r.status IN (${filter.statuses.map(() => '?').join(', ')})`);
      params.push(...filter.statuses);
    }
    if (filter.labs.length > 0) {
      clauses.push(`r.lab_id IN (${filter.labs.map(() => '?').join(', ')})`);
      params.push(...filter.labs);
    }
    // A model or technique used by a few arms: the set of their runs, gathered once. One used by
    // many (the facet counters say how many arms): a probe of the run's own arms (its primary
    // key) per run walked, which stops with the page, instead of gathering tens of thousands.
    for (const [column, kind, values] of [
      ['model_id', 'model', filter.models],
      ['technique', 'technique', filter.techniques],
    ] as const) {
      if (values.length === 0) continue;
      if (armsUsing(kind, values) <= ARM_SET_LIMIT) clauses.push(member(byId, 'arm_outputs a', 'a.run_id', `a.${column} IN (SELECT value FROM json_each(?))`));
      else clauses.push(`EXISTS (SELECT 1 FROM arm_outputs a WHERE a.run_id = r.id AND a.${column} IN (SELECT value FROM json_each(?)))`);
      params.push(json(values));
    }
    for (const tag of filter.tags) {
      clauses.push(member(byId, 'run_tags rt JOIN tags t ON t.id = rt.tag_id', 'rt.run_id', 't.name = ?'));
      params.push(tag);
    }
    if (filter.collectionId !== null) {
      clauses.push(member(byId, 'collection_runs cr', 'cr.run_id', 'cr.collection_id = ?'));
      params.push(filter.collectionId);
    }
    if (filter.packId !== null) {
      clauses.push('r.source_pack_id = ?');
      params.push(filter.packId);
    }
    if (filter.starred) clauses.push('r.starred = 1');
    if (filter.guardBlocked) clauses.push("EXISTS (SELECT 1 FROM arm_steps s WHERE s.run_id = r.id AND s.kind LIKE 'guard-%' AND s.status = 'stopped')");
    if (filter.rating === 'rated') clauses.push(byId ? `r.id IN (${RATED_IDS})` : `r.rowid IN (${RATED_ROWIDS})`);
    else if (filter.rating === 'unrated') clauses.push(byId ? `r.id NOT IN (${RATED_IDS})` : `r.rowid NOT IN (${RATED_ROWIDS})`);
    else if (filter.rating === 'up' || filter.rating === 'down') {
      clauses.push(member(byId, 'arm_ratings ar', 'ar.run_id', 'ar.thumb = ?'));
      params.push(filter.rating === 'up' ? 1 : -1);
    }
    if (filter.minStars !== undefined && filter.minStars !== null) {
      clauses.push(member(byId, 'arm_ratings ar', 'ar.run_id', 'ar.stars >= ?'));
      params.push(filter.minStars);
    }
    if (filter.from !== null) {
      clauses.push('r.started_at >= ?');
      params.push(filter.from);
    }
    if (filter.to !== null) {
      clauses.push('r.started_at < ?');
      params.push(filter.to);
    }
    return { clauses, params };
  }

  const statementCache = new Map<string, Statement<unknown[]>>();
  function cached(sql: string): Statement<unknown[]> {
    let statement = statementCache.get(sql);
    if (!statement) {
      if (statementCache.size > 200) statementCache.clear();
      statement = db.prepare<unknown[]>(sql);
      statementCache.set(sql, statement);
    }
    return statement;
  }
  const getOne = (sql: string, params: unknown[]) => {
    options.onQuery?.(sql, params);
    return cached(sql).get(...params);
  };
  const getAll = (sql: string, params: unknown[]) => {
    options.onQuery?.(sql, params);
    return cached(sql).all(...params);
  };

  function summaries(rows: SummaryRow[], ftsQuery: string | null): RunSummary[] {
    if (rows.length === 0) return [];
    const ids = json(rows.map((row) => row.id));
    const arms = new Map<string, RunSummary['arms']>();
    for (const arm of armsOf.all(ids)) {
      const list = arms.get(arm.run_id) ?? [];
      list.push({ label: arm.label, technique: arm.technique, modelId: arm.model_id, status: arm.status });
      arms.set(arm.run_id, list);
    }
    const tags = new Map<string, string[]>();
    for (const tag of tagsOf.all(ids)) {
      const list = tags.get(tag.run_id) ?? [];
      list.push(tag.name);
      tags.set(tag.run_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      title: row.title,
      status: row.status,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      starred: row.starred === 1,
      hasNote: row.has_note === 1,
      labId: row.lab_id,
      pack: row.pack_id !== null ? { id: row.pack_id, title: row.pack_title ?? '' } : null,
      tags: tags.get(row.id) ?? [],
      arms: arms.get(row.id) ?? [],
      preview: (row.preview ?? '').replace(/\s+/g, ' ').trim(),
      snippet: ftsQuery === null ? null : (snippetOf.get(MATCH_OPEN, MATCH_CLOSE, ftsQuery, row.rid)?.s ?? null),
      deletedAt: row.deleted_at,
    }));
  }

  const SUMMARY_COLUMNS = `r.rowid AS rid, r.id, r.title, r.status, r.started_at, r.finished_at, r.starred,
    (r.note != '') AS has_note, r.lab_id, r.source_pack_id AS pack_id,
    (SELECT p.title FROM packs p WHERE p.id = r.source_pack_id) AS pack_title,
    (SELECT substr(json_extract(a.request, '$.messages[#-1].text'), 1, 240) FROM arm_outputs a
      WHERE a.run_id = r.id AND a.arm_index = 0) AS preview, r.deleted_at`;


  /**
   * Search at scale. What costs time on a big history is collecting every match of a common word
   * ("the", a two-letter prefix): the old page and the old count each materialised all of them.
   * - The count of a one-word search with no other filter is FTS5's own count (it never reads a
   *   run row), less the matching runs in the trash; phrases, several words and prefixes that
   *   match more than TOTAL_CAP runs, and searches with other filters, stop at TOTAL_CAP
   *   ("1,000+ runs").
   * - The page: a search matching few runs probes the materialised set of matches while walking
   *   the date index (as before); one matching a large share of the runs (more than BROAD_SHARE) asks
   *   the index about each run instead, so a page costs ~PAGE/share probes, not every match.
   * - Best match ranks (bm25) only the RELEVANCE_POOL most recently added matches that pass
   *   the filters, so ranking a common word costs no more than ranking a rare one.
   */
  const BROAD_SHARE = 0.3;
  const RELEVANCE_POOL = 2_500;
  const matchCount = db.prepare<[string], number>('SELECT COUNT(*) FROM history_fts WHERE history_fts MATCH ?').pluck();
  const matchCountUpTo = db.prepare<[string, number], number>(
    'SELECT COUNT(*) FROM (SELECT rowid FROM history_fts WHERE history_fts MATCH ? LIMIT ?)',
  ).pluck();
  // Matching runs in the trash: one index probe per trashed run while the trash is small, else
  // the set of matches once (a bulk delete can fill the trash).
  const trashSize = db.prepare<[], number>('SELECT COUNT(*) FROM runs WHERE deleted_at IS NOT NULL').pluck();
  const trashedMatchesProbed = db.prepare<[string], number>(
    `SELECT COUNT(*) FROM runs r WHERE r.deleted_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM history_fts f WHERE history_fts MATCH ? AND f.rowid = r.rowid)`,
  ).pluck();
  const trashedMatchesSet = db.prepare<[string], number>(
    `SELECT COUNT(*) FROM runs r WHERE r.deleted_at IS NOT NULL
       AND +r.rowid IN (SELECT rowid FROM history_fts WHERE history_fts MATCH ?)`,
  ).pluck();
  const trashedMatches = (ftsQuery: string): number => {
    const trashed = trashSize.get()!;
    if (trashed === 0) return 0;
    return (trashed <= 300 ? trashedMatchesProbed : trashedMatchesSet).get(ftsQuery)!;
  };

  /**
   * How many runs a search matches, estimated from the newest SAMPLE matches (FTS5 walks rowids
   * backwards and stops): exact when there are fewer, else the share of rowids they span times
   * the history's size. Costs the same for a rare word, a common one and a phrase of common
   * words (counting every match of "the candidate" reads the positions of every "the").
   */
  const SAMPLE = 1_000;
  const sampleMatches = db.prepare<[string, number], { n: number; lo: number | null }>(
    'SELECT COUNT(*) AS n, MIN(rowid) AS lo FROM (SELECT rowid FROM history_fts WHERE history_fts MATCH ? ORDER BY rowid DESC LIMIT ?)',
  );
  const rowidSpan = lazy(() =>
    db.prepare<[], { hi: number | null; runs: number }>(
      hasCounters
        ? "SELECT (SELECT max(rowid) FROM runs) AS hi, (SELECT coalesce(sum(n), 0) FROM history_facet_counts WHERE kind IN ('status', 'trash')) AS runs"
        : 'SELECT (SELECT max(rowid) FROM runs) AS hi, (SELECT COUNT(*) FROM runs) AS runs',
    ),
  );
  function estimateMatches(ftsQuery: string): number {
    const sample = sampleMatches.get(ftsQuery, SAMPLE)!;
    if (sample.n < SAMPLE || sample.lo === null) return sample.n;
    const { hi, runs } = rowidSpan().get()!;
    const span = Math.max(1, (hi ?? sample.lo) - sample.lo + 1);
    return Math.max(SAMPLE, Math.round((SAMPLE / span) * runs));
  }
  /** Anything but one word (a phrase, several words, a prefix's alternatives): counting it reads more than one term. */
  const compound = (ftsQuery: string): boolean => !/^"(?:[^" ]|"")*"$/.test(ftsQuery);

  function onlySearch(filter: ListFilter): boolean {
    return (
      !filter.trash && filter.statuses.length === 0 && filter.models.length === 0 && filter.techniques.length === 0 &&
      filter.labs.length === 0 && filter.tags.length === 0 && filter.collectionId === null && filter.packId === null &&
      !filter.starred && filter.from === null && filter.to === null && (filter.rating ?? null) === null && (filter.minStars ?? null) === null && !filter.guardBlocked
    );
  }

  /**
   * How many runs a search with other filters matches, up to TOTAL_CAP. First the newest
   * SCAN_MATCHES matches are read in index order, each joined with its run by rowid and checked
   * against the filters: reading the index in order costs well under a microsecond a match,
   * where probing it for one run (what a walk of the runs does) costs tens. That settles it when
   * TOTAL_CAP of them pass ("1,000+") or when there are no more matches. Otherwise (filters that
   * few matching runs pass) the matches are gathered once and joined with the filtered runs.
   */
  const SCAN_MATCHES = options.scanMatches ?? 8_000;
  /** A clause of where() that probes a run's own arms for a model or technique many arms use. */
  const ARMS_PROBE = /^EXISTS \(SELECT 1 FROM arm_outputs a WHERE a\.run_id = r\.id AND a\.(model_id|technique) IN \(SELECT value FROM json_each\(\?\)\)\)$/;
  /** A clause of where() (rowid form) that tests membership of a set of runs. */
  const MEMBERSHIP = /^r\.rowid (NOT )?IN \(/;
  function countWithFilters(filter: ListFilter, ftsQuery: string): { total: number; capped: boolean } {
    // Filters that are sets of runs (ratings, stars, tags, a collection, a model few arms use):
    // every match is tested against the sets by its rowid as the index yields it, before any run
    // row is read, so only matches that pass the sets cost a lookup — reading all the matches of
    // "the" this way costs a few ms, where gathering them (below) costs tens.
    // Only when the sets are all there is (with the trash test): another filter (a status, a
    // model many arms use) would need a run row for each match passing the sets, and a positive
    // set is there to be small (a NOT IN a set passes most matches, which the scan below settles).
    const bySets = where(filter, null, false);
    const [trashClause, ...setClauses] = bySets.clauses;
    if (setClauses.length > 0 && setClauses.every((clause) => MEMBERSHIP.test(clause)) && setClauses.some((clause) => !clause.startsWith('r.rowid NOT'))) {
      void trashClause;
      const clauses = bySets.clauses.map((clause) => clause.replace(MEMBERSHIP, (_, not: string | undefined) => `+f.rowid ${not ?? ''}IN (`));
      const n = (
        getOne(
          `SELECT COUNT(*) AS n FROM (SELECT 1 FROM history_fts f CROSS JOIN runs r ON r.rowid = f.rowid
            WHERE history_fts MATCH ? AND ${clauses.join(' AND ')} LIMIT ?)`,
          [ftsQuery, ...bySets.params, TOTAL_CAP + 1],
        ) as { n: number }
      ).n;
      return n > TOTAL_CAP ? { total: TOTAL_CAP, capped: true } : { total: n, capped: false };
    }
    const filters = where(filter, null, true);
    const scanned = (
      getOne(
        `SELECT COUNT(*) AS n FROM (SELECT 1 FROM (SELECT rowid FROM history_fts WHERE history_fts MATCH ? ORDER BY rowid DESC LIMIT ${SCAN_MATCHES}) f
          CROSS JOIN runs r ON r.rowid = f.rowid WHERE ${filters.clauses.join(' AND ')} LIMIT ?)`,
        [ftsQuery, ...filters.params, TOTAL_CAP + 1],
      ) as { n: number }
    ).n;
    if (scanned > TOTAL_CAP) return { total: TOTAL_CAP, capped: true };
    if (matchCountUpTo.get(ftsQuery, SCAN_MATCHES + 1)! <= SCAN_MATCHES) return { total: scanned, capped: false };
    const gathered = where(filter, ftsQuery);
    const total = (
      getOne(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM runs r WHERE ${gathered.clauses.join(' AND ')} LIMIT ?)`, [...gathered.params, TOTAL_CAP + 1]) as {
        n: number;
      }
    ).n;
    return total > TOTAL_CAP ? { total: TOTAL_CAP, capped: true } : { total, capped: false };
  }

  function list(options: ListOptions): HistoryPage {
    const { filter, cursor, limit } = options;
    const ftsQuery = toFtsQuery(filter.query, expandPrefix);
    if (ftsQuery === null && filter.query.trim() !== '') {
      return { items: [], nextCursor: null, total: options.withTotal && cursor === null ? 0 : null, totalCapped: false, notice: searchNotice(filter.query) };
    }
    const sort: HistorySort = options.sort === 'relevance' && ftsQuery === null ? 'newest' : options.sort;
    const wantTotal = options.withTotal && cursor === null;

    let total: number | null = null;
    let totalCapped = false;
    let broad = false;
    if (ftsQuery !== null) {
      const estimate = estimateMatches(ftsQuery);
      if (estimate === 0) return { items: [], nextCursor: null, total: wantTotal ? 0 : null, totalCapped: false };
      broad = estimate > BROAD_SHARE * rowidSpan().get()!.runs;
      if (wantTotal && onlySearch(filter)) {
        if (compound(ftsQuery) && estimate > TOTAL_CAP) {
          // A phrase, several words or a prefix matching a large share: checking every matching
          // document costs more than the page; count up to TOTAL_CAP ("1,000+ runs").
          const matches = matchCountUpTo.get(ftsQuery, TOTAL_CAP + 1)!;
          if (matches > TOTAL_CAP) {
            total = TOTAL_CAP;
            totalCapped = true;
          } else total = matches - trashedMatches(ftsQuery);
        } else {
          const matches = matchCount.get(ftsQuery)!;
          total = matches === 0 ? 0 : matches - trashedMatches(ftsQuery);
        }
        if (total === 0) return { items: [], nextCursor: null, total: 0, totalCapped: false };
      }
    }

    const fromFts = sort === 'relevance';
    // A search with other filters is counted first (see countWithFilters); a count of 0 needs
    // no page, and a small exact count tells the page to gather the matches once.
    let fewPass = false;
    if (wantTotal && total === null && ftsQuery !== null) {
      ({ total, capped: totalCapped } = countWithFilters(filter, ftsQuery));
      if (total === 0) return { items: [], nextCursor: null, total: 0, totalCapped: false };
      fewPass = !totalCapped;
    }
    // A broad search probes the index per run walked, which stops with the page; when the count
    // says few runs pass the filters, the walk would probe every run the filters let through, so
    // the matches are gathered once instead.
    const probe = broad && !fewPass;
    const { clauses, params } = where(filter, ftsQuery !== null && !fromFts && !probe ? ftsQuery : null);
    if (ftsQuery !== null && !fromFts && probe) {
      clauses.push('EXISTS (SELECT 1 FROM history_fts f WHERE history_fts MATCH ? AND f.rowid = r.rowid)');
      params.push(ftsQuery);
    }

    if (wantTotal && total === null) {
      // A model or technique many arms use (tested per run walked, see where()): counted from its
      // arms' index instead, each distinct run then found by id, rather than probing the arms of
      // every run in the history (150 ms at 100k runs, ~30 ms this way).
      const drive = ftsQuery === null ? clauses.findIndex((clause) => ARMS_PROBE.test(clause)) : -1;
      if (drive >= 0) {
        const at = clauses.slice(0, drive).join(' ').split('?').length - 1;
        const column = ARMS_PROBE.exec(clauses[drive]!)![1]!;
        const rest = clauses.filter((_, index) => index !== drive);
        total = (
          getOne(
            `SELECT COUNT(*) AS n FROM (SELECT DISTINCT a.run_id FROM arm_outputs a WHERE a.${column} IN (SELECT value FROM json_each(?))) x
              CROSS JOIN runs r ON r.id = x.run_id WHERE ${rest.join(' AND ')}`,
            [params[at], ...params.slice(0, at), ...params.slice(at + 1)],
          ) as { n: number }
        ).n;
      } else total = (getOne(`SELECT COUNT(*) AS n FROM runs r WHERE ${clauses.join(' AND ')}`, params) as { n: number }).n;
    }

    let from = 'runs r';
    if (fromFts) {
      // The pool: the newest-added matches passing the filters (FTS5 walks rowids backwards and
      // stops), ranked; pages then follow (rank, rowid).
      from = `(SELECT f.rowid AS rowid, f.rank AS rank FROM history_fts f CROSS JOIN runs r ON r.rowid = f.rowid
        WHERE history_fts MATCH ? AND ${clauses.join(' AND ')} ORDER BY f.rowid DESC LIMIT ${RELEVANCE_POOL}) f
        CROSS JOIN runs r ON r.rowid = f.rowid`;
      params.unshift(ftsQuery);
      clauses.length = 0;
    }

    let sortKey: string;
    let order: string;
    let after: string;
    switch (sort) {
      case 'oldest':
        sortKey = 'r.started_at';
        order = 'r.started_at ASC, r.rowid ASC';
        after = '(r.started_at > ? OR (r.started_at = ? AND r.rowid > ?))';
        break;
      case 'title':
        sortKey = 'r.title';
        order = 'r.title COLLATE NOCASE ASC, r.rowid ASC';
        after = '(r.title > ? COLLATE NOCASE OR (r.title = ? COLLATE NOCASE AND r.rowid > ?))';
        break;
      case 'relevance':
        sortKey = 'f.rank';
        order = 'f.rank ASC, f.rowid ASC';
        after = '(f.rank > ? OR (f.rank = ? AND f.rowid > ?))';
        break;
      default:
        sortKey = 'r.started_at';
        order = 'r.started_at DESC, r.rowid DESC';
        after = '(r.started_at < ? OR (r.started_at = ? AND r.rowid < ?))';
    }
    const pageClauses = [...clauses];
    const pageParams = [...params];
    if (cursor !== null) {
      pageClauses.push(after);
      pageParams.push(cursor.v, cursor.v, cursor.r);
    }
    const sql = `SELECT ${SUMMARY_COLUMNS}, ${sortKey} AS sort_key FROM ${from}
      ${pageClauses.length > 0 ? `WHERE ${pageClauses.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    const rows = getAll(sql, [...pageParams, limit + 1]) as SummaryRow[];
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return {
      items: summaries(page, ftsQuery),
      nextCursor: more && last ? { v: last.sort_key, r: last.rid } : null,
      total,
      totalCapped,
    };
  }

  const selectMeta = db.prepare<[string], { starred: number; note: string; lab_id: string | null; source_pack_id: string | null; deleted_at: number | null }>(
    'SELECT starred, note, lab_id, source_pack_id, deleted_at FROM runs WHERE id = ?',
  );
  const selectPack = db.prepare<[string], PackRow>(`${PACK_SELECT} WHERE p.id = ?`);
  const selectRunCollections = db.prepare<[string], { id: string; name: string }>(
    `SELECT c.id, c.name FROM collection_runs cr JOIN collections c ON c.id = cr.collection_id
     WHERE cr.run_id = ? ORDER BY c.name COLLATE NOCASE`,
  );
  const selectRunTags = db.prepare<[string], string>(
    `SELECT t.name FROM run_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.run_id = ? ORDER BY t.name COLLATE NOCASE`,
  ).pluck();

  function meta(id: string): RunMeta | undefined {
    const row = selectMeta.get(id);
    if (!row) return undefined;
    const pack = row.source_pack_id !== null ? selectPack.get(row.source_pack_id) : undefined;
    return {
      starred: row.starred === 1,
      note: row.note,
      tags: selectRunTags.all(id),
      labId: row.lab_id,
      pack: pack ? packFromRow(pack) : null,
      collections: selectRunCollections.all(id),
      deletedAt: row.deleted_at,
    };
  }

  // The unary + on deleted_at below keeps the planner on the id index (a handful of rows)
  // instead of scanning every live run through the deleted_at index.
  const setStar = db.prepare('UPDATE runs SET starred = ? WHERE id IN (SELECT value FROM json_each(?)) AND starred != ?');
  const setNote = db.prepare('UPDATE runs SET note = ? WHERE id = ?');
  const ensureTag = db.prepare('INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
  const addTag = db.prepare(
    `INSERT OR IGNORE INTO run_tags (run_id, tag_id)
     SELECT r.id, (SELECT id FROM tags WHERE name = ?) FROM runs r WHERE r.id IN (SELECT value FROM json_each(?))`,
  );
  const removeTag = db.prepare(
    `DELETE FROM run_tags WHERE tag_id = (SELECT id FROM tags WHERE name = ?) AND run_id IN (SELECT value FROM json_each(?))`,
  );
  const dropUnusedTags = db.prepare('DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM run_tags)');
  const softDelete = db.prepare(
    'UPDATE runs SET deleted_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND +deleted_at IS NULL',
  );
  const undelete = db.prepare(
    'UPDATE runs SET deleted_at = NULL WHERE id IN (SELECT value FROM json_each(?)) AND +deleted_at IS NOT NULL',
  );
  const purgeIds = db.prepare(
    `DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND +deleted_at IS NOT NULL AND status != 'running'`,
  );
  const purgeAll = db.prepare(`DELETE FROM runs WHERE deleted_at IS NOT NULL AND status != 'running'`);
  const purgeOlder = db.prepare(`DELETE FROM runs WHERE deleted_at IS NOT NULL AND deleted_at < ? AND status != 'running'`);

  const selectCollections = db.prepare<[], CollectionRow>(`${COLLECTION_SELECT} ORDER BY c.name COLLATE NOCASE`);
  const selectCollection = db.prepare<[string], CollectionRow>(`${COLLECTION_SELECT} WHERE c.id = ?`);
  const insertCollection = db.prepare(
    'INSERT INTO collections (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const updateCollection = db.prepare(
    'UPDATE collections SET name = coalesce(?, name), description = coalesce(?, description), updated_at = ? WHERE id = ?',
  );
  const touchCollection = db.prepare('UPDATE collections SET updated_at = ? WHERE id = ?');
  const deleteCollection = db.prepare('DELETE FROM collections WHERE id = ?');
  const addToCollection = db.prepare(
    `INSERT OR IGNORE INTO collection_runs (collection_id, run_id, added_at)
     SELECT ?, r.id, ? FROM runs r WHERE r.id IN (SELECT value FROM json_each(?))`,
  );
  const removeFromCollection = db.prepare(
    'DELETE FROM collection_runs WHERE collection_id = ? AND run_id IN (SELECT value FROM json_each(?))',
  );

  type FacetKind = 'status' | 'trash' | 'lab' | 'model' | 'technique';
  const selectFacetCounts = lazy(() =>
    db.prepare<[], { kind: FacetKind; value: string; n: number }>('SELECT kind, value, n FROM history_facet_counts WHERE n > 0 ORDER BY kind, value'),
  );
  const selectTagCounts = db.prepare<[], { name: string; count: number }>(
    `SELECT t.name, COUNT(rt.run_id) AS count FROM tags t LEFT JOIN run_tags rt ON rt.tag_id = t.id
     GROUP BY t.id ORDER BY t.name COLLATE NOCASE`,
  );

  const repo = {
    list,
    meta,

    /**
     * What the sidebar offers, from the counters that migration 0014's triggers keep up to date
     * on every write (a few dozen rows, whatever the history's size), plus tags, packs and
     * collections (one row each).
     */
    facets(): HistoryFacets {
      const counters = selectFacetCounts().all();
      const of = (kind: FacetKind) => counters.filter((row) => row.kind === kind);
      const statuses = of('status').map((row) => ({ status: z.enum(RUN_STATUSES).parse(row.value), count: row.n }));
      return {
        live: statuses.reduce((sum, row) => sum + row.count, 0),
        trash: of('trash')[0]?.n ?? 0,
        statuses,
        models: of('model').map((row) => row.value),
        techniques: of('technique').map((row) => row.value),
        labs: of('lab').map((row) => row.value),
        tags: selectTagCounts.all(),
        packs: repo.packs(),
        collections: repo.collections(),
      };
    },

    packs(): PackInfo[] {
      return (db.prepare<[], PackRow>(`${PACK_SELECT} ORDER BY p.imported_at DESC`).all()).map(packFromRow);
    },

    star(ids: string[], starred: boolean): number {
      const flag = starred ? 1 : 0;
      return setStar.run(flag, json(ids), flag).changes;
    },

    note(id: string, note: string): number {
      return setNote.run(note, id).changes;
    },

    tag: db.transaction((ids: string[], add: string[], remove: string[]): number => {
      let changed = 0;
      const list = json(ids);
      for (const name of add) {
        ensureTag.run(name);
        changed += addTag.run(name, list).changes;
      }
      for (const name of remove) changed += removeTag.run(name, list).changes;
      if (remove.length > 0) dropUnusedTags.run();
      return changed;
    }),

    trash(ids: string[]): number {
      return softDelete.run(now(), json(ids)).changes;
    },

    restore(ids: string[]): number {
      return undelete.run(json(ids)).changes;
    },

    purge: db.transaction((ids: string[] | 'all'): number => {
      const changed = ids === 'all' ? purgeAll.run().changes : purgeIds.run(json(ids)).changes;
      dropUnusedTags.run();
      return changed;
    }),

    /** At start-up: runs in the trash for more than TRASH_DAYS go for good. */
    purgeExpired: db.transaction((): number => {
      const changed = purgeOlder.run(now() - TRASH_DAYS * 86_400_000).changes;
      if (changed > 0) dropUnusedTags.run();
      return changed;
    }),

    collections(): CollectionSummary[] {
      return selectCollections.all().map(collectionFromRow);
    },

    collection(id: string): CollectionSummary | undefined {
      const row = selectCollection.get(id);
      return row && collectionFromRow(row);
    },

    createCollection: db.transaction((name: string, description: string, runIds: string[]): CollectionSummary => {
      const id = randomUUID();
      const at = now();
      insertCollection.run(id, name, description, at, at);
      if (runIds.length > 0) addToCollection.run(id, at, json(runIds));
      return repo.collection(id)!;
    }),

    updateCollection(id: string, name: string | undefined, description: string | undefined): CollectionSummary | undefined {
      updateCollection.run(name ?? null, description ?? null, now(), id);
      return repo.collection(id);
    },

    deleteCollection(id: string): boolean {
      return deleteCollection.run(id).changes > 0;
    },

    addToCollection: db.transaction((id: string, runIds: string[]): number => {
      const changed = addToCollection.run(id, now(), json(runIds)).changes;
      touchCollection.run(now(), id);
      return changed;
    }),

    removeFromCollection: db.transaction((id: string, runIds: string[]): number => {
      const changed = removeFromCollection.run(id, json(runIds)).changes;
      touchCollection.run(now(), id);
      return changed;
    }),

    /** Run ids (live ones, oldest first) for an export or a pack target. */
    resolveTarget(target: { runIds: string[] } | { collectionId: string } | { labId: string }): string[] {
      if ('runIds' in target) {
        return db
          .prepare(
            `SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY started_at, rowid`,
          )
          .pluck()
          .all(json(target.runIds)) as string[];
      }
      if ('collectionId' in target) {
        return db
          .prepare(
            `SELECT r.id FROM collection_runs cr JOIN runs r ON r.id = cr.run_id
             WHERE cr.collection_id = ? AND r.deleted_at IS NULL ORDER BY r.started_at, r.rowid`,
          )
          .pluck()
          .all(target.collectionId) as string[];
      }
      return db
        .prepare('SELECT id FROM runs WHERE lab_id = ? AND deleted_at IS NULL ORDER BY started_at, rowid')
        .pluck()
        .all(target.labId) as string[];
    },

    /** Re-creates the search index from the tables (repair after a failed integrity check). */
    rebuildSearch(): number {
      db.exec("INSERT INTO history_fts (history_fts) VALUES ('rebuild')");
      return db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number;
    },
  };
  return repo;
}

export type HistoryRepo = ReturnType<typeof createHistoryRepo>;
