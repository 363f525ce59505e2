import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDb, type Db } from '../../../electron/services/store';
import { MIGRATIONS } from '../../../electron/services/store/migrations';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-0011-'));
  db = openDb(join(dir, 'p.db'), { migrations: MIGRATIONS.filter((m) => m.version < 11) });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

it('0011 adds corpora whose chunks follow their document into the keyword index and out of it', () => {
  db.close();
  db = openDb(join(dir, 'p.db'));
  expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBeGreaterThanOrEqual(11);
  db.prepare("INSERT INTO corpora VALUES ('c', 'Handbook', '', 'amazon.titan-embed-text-v2:0', 1024, 512, 102, 0, 0)").run();
  db.prepare("INSERT INTO corpus_documents VALUES ('d', 'c', 'fees.md', 'md', 10, 'sha', 0, 512, 102, 0)").run();
  db.prepare("INSERT INTO corpus_pages VALUES ('d', 1, 'The overdraft fee is 25 dollars.')").run();
  db.prepare("INSERT INTO corpus_chunks (corpus_id, document_id, position, tokens, text) VALUES ('c', 'd', 0, 7, 'The overdraft fee is 25 dollars.')").run();
  const match = db.prepare("SELECT rowid FROM corpus_chunks_fts WHERE corpus_chunks_fts MATCH 'overdrafts'").pluck();
  expect(match.all()).toHaveLength(1); // porter stemming: overdrafts → overdraft
  expect(() => db.prepare("UPDATE corpus_chunks SET vector = x'00000000'").run()).toThrow(/CHECK/); // a vector needs its key
  expect(() => db.prepare("INSERT INTO corpora VALUES ('x', 'Bad', '', 'm', 1024, 100, 100, 0, 0)").run()).toThrow(/CHECK/);
  db.prepare("DELETE FROM corpus_documents WHERE id = 'd'").run();
  expect(db.prepare('SELECT COUNT(*) FROM corpus_chunks').pluck().get()).toBe(0);
  expect(db.prepare('SELECT COUNT(*) FROM corpus_pages').pluck().get()).toBe(0);
  expect(match.all()).toHaveLength(0);
});
