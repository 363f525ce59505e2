import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_TOKENS } from '../../shared/rag/chunk';
import { DEFAULT_EMBEDDING_MODEL } from '../../shared/rag/types';
import type { Services } from '../services';
import { safeFileName } from '../services/dialogs';
import { writeFileAtomic } from '../services/export/files';
import { decodeCorpusPack, encodeCorpusPack, exportCorpus, importCorpus } from '../services/rag/pack';
import { evaluationHandlers } from './rag-evaluation';
import type { DomainHandlers, EmitEvent } from './types';

export const SAMPLE_CORPUS_NAME = 'AnyCompany Bank handbook';
const FILE_FILTERS = [{ name: 'Text, Markdown and PDF', extensions: ['txt', 'md', 'markdown', 'pdf'] }];

/** The shipped sample corpus: every .txt/.md/.pdf in resources/corpus, in name order. */
async function sampleFiles(resourcesDir: string): Promise<string[]> {
  const folder = join(resourcesDir, 'corpus');
  const names = await readdir(folder).catch(() => {
    throw new AppError('not_found', `The sample corpus is missing from ${folder}. Reinstall Parallax to get it back.`);
  });
  return names.filter((name) => /\.(txt|md|pdf)$/i.test(name)).sort().map((name) => join(folder, name));
}

export function ragHandlers(services: Services, emit: EmitEvent): DomainHandlers<'rag'> {
  const { rag, dialogs } = services;
  rag.onProgress((progress) => {
    emit('rag:progress', progress);
    if (progress.finished) emit('rag:changed', { corpusId: progress.corpusId });
  });
  const changed = (corpusId: string) => emit('rag:changed', { corpusId });
  return {
    ...evaluationHandlers(services, emit),
    'rag:list': async () => rag.list(),
    'rag:get': async ({ corpusId }) => rag.detail(corpusId),
    'rag:create': async (input) => {
      const corpus = rag.create(input);
      changed(corpus.id);
      return corpus;
    },
    'rag:update': async ({ corpusId, ...input }) => {
      const corpus = rag.update(corpusId, input);
      changed(corpusId);
      return corpus;
    },
    'rag:delete': async ({ corpusId }) => {
      rag.remove(corpusId);
      changed(corpusId);
      return { deleted: true };
    },
    'rag:add-files': async ({ corpusId }) => {
      const options = { title: 'Add documents to the corpus', filters: FILE_FILTERS };
      const paths = dialogs.chooseOpenFiles
        ? await dialogs.chooseOpenFiles(options)
        : await dialogs.chooseOpenFile(options).then((path) => (path ? [path] : []));
      if (paths.length === 0) return { added: [], problems: [], cancelled: true };
      const report = await rag.addPaths(corpusId, paths);
      changed(corpusId);
      return { ...report, cancelled: false };
    },
    'rag:add-dropped': async ({ corpusId, files }) => {
      const report = await rag.addFiles(corpusId, files.map((file) => ({ name: file.name, bytes: Buffer.from(file.base64, 'base64') })));
      changed(corpusId);
      return report;
    },
    'rag:remove-document': async ({ corpusId, documentId }) => {
      const detail = rag.removeDocument(corpusId, documentId);
      changed(corpusId);
      return detail;
    },
    'rag:index': async ({ corpusId }) => {
      const already = rag.indexing(corpusId);
      void rag.startIndex(corpusId).catch((error: unknown) => console.error('[parallax] indexing:', error));
      return { started: !already };
    },
    'rag:cancel-index': async ({ corpusId }) => ({ cancelled: rag.cancelIndex(corpusId) }),
    'rag:retrieve': async (request) => rag.retrieve(request),
    'rag:chunk': async ({ chunkId }) => {
      const chunk = rag.chunk(chunkId);
      if (!chunk) throw new AppError('not_found', 'That passage is no longer in its corpus: the document was removed or the corpus re-indexed. Retrieve again to see the current passages.');
      return chunk;
    },
    'rag:export': async ({ corpusId }) => {
      const corpus = rag.detail(corpusId).corpus;
      const path = await dialogs.chooseSaveFile({ title: 'Export the corpus', defaultName: safeFileName(corpus.name, 'parallax-corpus'), filters: [{ name: 'Parallax corpus', extensions: ['parallax-corpus'] }] });
      if (!path) return { path: null, bytes: 0 };
      const bytes = encodeCorpusPack(exportCorpus(services.db, corpusId), services.info.version, services.now());
      writeFileAtomic(path, bytes);
      return { path, bytes: bytes.byteLength };
    },
    'rag:import': async () => {
      const path = await dialogs.chooseOpenFile({ title: 'Import a corpus', filters: [{ name: 'Parallax corpus', extensions: ['parallax-corpus'] }] });
      if (!path) return { corpus: null };
      if ((await stat(path)).size > 2 * 1024 * 1024 * 1024) throw new AppError('bad_input', 'That file is larger than 2 GB; Parallax cannot import it.');
      const corpusId = importCorpus(services.db, decodeCorpusPack(await readFile(path)));
      rag.touched(corpusId);
      changed(corpusId);
      return { corpus: rag.detail(corpusId).corpus };
    },
    'rag:add-sample': async () => {
      const existing = rag.list().find((corpus) => corpus.name === SAMPLE_CORPUS_NAME);
      if (existing) return existing;
      // The files first: a missing sample leaves no empty corpus behind.
      const paths = await sampleFiles(services.resourcesDir);
      const corpus = rag.create({
        name: SAMPLE_CORPUS_NAME,
        description: 'A fictional bank’s handbook written for Parallax: accounts, cards, loans, fees and policies.',
        embeddingModel: DEFAULT_EMBEDDING_MODEL,
        dimensions: 1024,
        chunkTokens: DEFAULT_CHUNK_TOKENS,
        chunkOverlap: DEFAULT_CHUNK_OVERLAP,
      });
      const report = await rag.addFiles(corpus.id, await Promise.all(paths.map(async (path) => ({ name: path.split(/[\\/]/).pop()!, bytes: await readFile(path) }))));
      if (report.problems.length > 0) console.error('[parallax] sample corpus:', report.problems);
      changed(corpus.id);
      return rag.detail(corpus.id).corpus;
    },
  };
}
