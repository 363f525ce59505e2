/**
 * Adding files to a corpus: read, extract and chunk one file after another, and store them a
 * few thousand chunks at a time in one transaction (keyword index included). It runs as
 * a store job (store/jobs/registry.ts), so in the app it works in the database worker thread on
 * its own connection and never blocks the main process; without a worker it runs inline.
 * A file that cannot be added becomes a problem in the report and the rest go on.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { AppError } from '../../../shared/errors';
import { chunkPages } from '../../../shared/rag/chunk';
import type { ImportProblem } from '../../../shared/rag/types';
import type { Db } from '../store/db';
import { extractText, sizeProblem } from './extract';
import { createCorpusRepo, type NewDocument } from './repo';

export interface IngestFile {
  name: string;
  /** Bytes already read (a dropped file), or a path to read. */
  bytes?: Uint8Array;
  path?: string;
}

export interface IngestResult {
  addedIds: string[];
  problems: ImportProblem[];
}

/** Chunks gathered before they are written in one transaction (keyword index included). */
const CHUNKS_PER_WRITE = 4_000;

export async function ingestFiles(db: Db, corpusId: string, files: readonly IngestFile[], progress: (done: number, total: number) => void = () => {}): Promise<IngestResult> {
  const repo = createCorpusRepo(db);
  const corpus = repo.get(corpusId);
  if (!corpus) throw new AppError('not_found', 'That corpus is no longer there. It may have been deleted.');
  const result: IngestResult = { addedIds: [], problems: [] };
  const problem = (name: string, error: unknown): ImportProblem => {
    const reason = error instanceof Error ? error.message : String(error);
    return { name, message: error instanceof AppError ? reason : `"${name}" could not be added: ${reason}` };
  };
  // Documents read and chunked but not yet written, with the file name each came from (for
  // duplicates within one batch, which the database would only reject at commit).
  let waiting: NewDocument[] = [];
  let waitingChunks = 0;
  const waitingSha = new Map<string, string>();
  const write = () => {
    if (waiting.length === 0) return;
    try {
      result.addedIds.push(...repo.addDocuments(waiting));
    } catch {
      // One bad document must not sink the rest: write them one by one to find it.
      for (const doc of waiting) {
        try {
          result.addedIds.push(repo.addDocument(doc));
        } catch (error) {
          result.problems.push(problem(doc.name, error));
        }
      }
    }
    waiting = [];
    waitingChunks = 0;
    waitingSha.clear();
  };
  let done = 0;
  progress(0, files.length);
  for (const file of files) {
    const name = basename(file.name || file.path || 'file');
    try {
      let bytes = file.bytes;
      if (!bytes) {
        if (!file.path) throw new AppError('bad_input', `"${name}" came without its contents. Add it again.`);
        const tooBig = sizeProblem(name, (await stat(file.path)).size);
        if (tooBig) throw new AppError('bad_input', tooBig);
        bytes = await readFile(file.path);
      }
      const extracted = await extractText(name, bytes);
      if (!extracted.ok) throw new AppError('bad_input', extracted.message);
      const duplicate = waitingSha.get(extracted.sha256) ?? repo.duplicateOf(corpusId, extracted.sha256);
      if (duplicate) throw new AppError('bad_input', `"${name}" is already in this corpus${duplicate === name ? '' : ` as "${duplicate}"`}, so it was not added twice.`);
      await yieldToEventLoop();
      const chunks = chunkPages(extracted.pages, { size: corpus.chunkTokens, overlap: corpus.chunkOverlap });
      waiting.push({
        corpusId,
        name,
        kind: extracted.kind,
        bytes: extracted.bytes,
        sha256: extracted.sha256,
        hasPages: extracted.hasPages,
        pages: extracted.pages,
        chunks,
        chunkTokens: corpus.chunkTokens,
        chunkOverlap: corpus.chunkOverlap,
      });
      waitingSha.set(extracted.sha256, name);
      waitingChunks += chunks.length;
      if (waitingChunks >= CHUNKS_PER_WRITE) write();
    } catch (error) {
      result.problems.push(problem(name, error));
    }
    done += 1;
    progress(done, files.length);
    await yieldToEventLoop();
  }
  write();
  return result;
}
