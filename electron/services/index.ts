import { join } from 'node:path';
import { createComparison } from './runner/compose';
import { createExperimentRepo, createImageRepo, createPipelineRepo, createRunRepo, openDb, schemaVersion } from './store';
import { createImageAnnotationRepo } from './store/image-annotations';
import { imagesDirOf } from './store/images';
import { createImageFileStore } from './images/file-store';
import { createCatalogRepo } from './store/catalog';
import { createSettingsRepo } from './store/settings';
import { createBedrockClients, createBedrockService, createCatalogService, createSettingsService } from './bedrock';
import type { Dialogs } from './dialogs';
import { createHistoryServices } from './history';
import { recoverUnfinishedImports, type ImportLimits } from './export/import';
import { applyStagedRestore } from './store/maintenance';
import { createStoreJobs, type StoreWorkerSpec } from './store/jobs/host';
import { createScoreRepo, createScoreService } from './scores';
import { saveGuardScores } from './scores/guards';
import { AppError } from '../../shared/errors';
import { createRagService } from './rag';
import { createEvaluations } from './rag/evaluations';
import type { StepModels } from './steps/types';
import { createBatchArmRunner, createBatchRepo, createBatchService } from './batch';
import { createStreamPace } from './streaming/pace';
import { fileDebugControl, type DebugControl } from './debug';

export interface ServicesOptions {
  /** The folder that holds everything Parallax writes (the OS user-data folder in the app). */
  dataDir: string;
  version: string;
  /** better_sqlite3.node for the running runtime; omitted under plain Node. */
  nativeBinding?: string;
  now?: () => number;
  /** A monotonic clock (ms) for Bedrock call timings; performance.now by default. */
  clock?: () => number;
  /** Save/open dialogs (electron/dialogs.ts in the app, preset paths in tests). */
  dialogs?: Dialogs;
  /**
   * The store worker thread for heavy database work (dist-electron/store-worker.js in the app).
   * Without it the same jobs run inline on the main connection (plain Node tools, most tests).
   */
  storeWorker?: StoreWorkerSpec;
  /** Import size limits (tests shrink them). */
  importLimits?: ImportLimits;
  /** The app's shipped resources folder (sample corpus); `<cwd>/resources` when omitted. */
  resourcesDir?: string;
  /** The debug switches as the shell applies them (electron/main.ts); kept in shell.json when omitted. */
  debug?: DebugControl;
  /** Batch retry pacing (tests shorten the backoff). */
  batch?: { backoffMs?: number; maxAttempts?: number };
}

/** Builds every service from plain arguments; nothing here knows about Electron. */
export function createServices(options: ServicesOptions) {
  const now = options.now ?? Date.now;
  const dbPath = join(options.dataDir, 'parallax.db');
  applyStagedRestore(options.dataDir); // a restore chosen in Settings takes effect here, before opening
  const db = openDb(dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  // An import the app was killed in the middle of is taken back before anything reads the history.
  const recovered = recoverUnfinishedImports({ db, now });
  if (recovered > 0) console.error(`[parallax] took back ${recovered} unfinished import${recovered === 1 ? '' : 's'}`);
  const runs = createRunRepo(db, now);
  // Image comparisons (issue 12): files by content hash beside the database.
  const imageFiles = createImageFileStore(imagesDirOf(db));
  const images = createImageRepo(db, now, imageFiles);
  runs.markInterrupted();
  const jobs = createStoreJobs({ db, dbPath, nativeBinding: options.nativeBinding, worker: options.storeWorker });
  // Amazon Bedrock (issue 3): settings, clients rebuilt when settings change, catalog, calls.
  const settings = createSettingsService(createSettingsRepo(db, now));
  const bedrockClients = createBedrockClients(() => settings.get());
  const catalog = createCatalogService({ repo: createCatalogRepo(db, now), clients: bedrockClients });
  const bedrock = createBedrockService({ clients: bedrockClients, catalog, ...(options.clock ? { now: options.clock } : {}) });
  // History (issue 6): the history repository, export/import, packs, backup/restore.
  const historyServices = createHistoryServices({ db, dbPath, dataDir: options.dataDir, version: options.version, now, nativeBinding: options.nativeBinding, dialogs: options.dialogs, importLimits: options.importLimits, jobs });
  const { history } = historyServices;
  // Images no run uses any more (runs purged from the trash at start-up) go; images written
  // before 0012 move from SQLite to files a slice at a time, so start-up is not held up.
  images.collectUnused();
  let closed = false;
  const moveLegacyImages = () => {
    if (closed) return;
    try {
      if (images.moveLegacyBlobs(20) > 0) setImmediate(moveLegacyImages);
    } catch (error) {
      console.error('[parallax] moving images to files:', error);
    }
  };
  setImmediate(moveLegacyImages);
  // Scores (issue 5): metrics and judge models on stored runs, human ratings.
  const scoreRepo = createScoreRepo(db, now);
  const scores = createScoreService({
    repo: scoreRepo,
    getRun: (id) => runs.get(id),
    converse: (input, callOptions) => bedrock.converse(input, callOptions),
    defaultJudgeModel: () => settings.get().models.judge,
    onError: (error) => console.error('[parallax] scoring:', error),
    // The rating panel's note is the run's one note (runs.note), through the history repository.
    notes: {
      get: (runId) => history.meta(runId)?.note ?? '',
      set: (runId, note) => {
        if (history.note(runId, note) === 0) throw new AppError('not_found', 'That run is no longer in your history. It may have been deleted.');
      },
    },
  });
  // Comparison workspace (issue 4); delta events paced by the window's paint lag (issue 15).
  const streamPace = createStreamPace();
  // Corpora and retrieval (issue 11), before the runner: retrieve and clarify steps use it.
  const rag = createRagService({
    db,
    now,
    embedMany: (texts, embedOptions) => bedrock.embedMany(texts, embedOptions),
    ingest: (corpusId, files, label) => jobs.run('rag-add-files', { corpusId, files: [...files] }, label),
  });
  // Moderation pipelines (issue 10): each run records the saved pipelines its arms' guards came from.
  const pipelines = createPipelineRepo(db, now);
  const comparison = createComparison({
    corpora: rag,
    deltaIntervalMs: () => streamPace.intervalMs(),
    db,
    runs,
    images,
    now,
    bedrock,
    estimateCost: catalog.estimateCost,
    defaultSuggestModel: () => settings.get().models.generation,
    onRunCreated: (runId, arms) => pipelines.recordRun(runId, arms),
    onRunFinished: (runId, _status, automaticScoring) => {
      // Guard verdicts become scores first (issue 10), so the card shows them with the rest.
      try {
        // most runs have no guard: the whole run is read back only when one traced a verdict
        const run = runs.steps?.hasGuardTraces(runId) === false ? undefined : runs.get(runId);
        if (run) saveGuardScores(scoreRepo, run);
      } catch (error) {
        console.error('[parallax] guard scores:', error);
      }
      if (automaticScoring) void scores.afterRun(runId);
    },
  });
  // Batches (issue 13): datasets × arms × repeats through the same runner; interrupted ones offered to resume.
  const batchRepo = createBatchRepo(db, now);
  batchRepo.markInterrupted();
  const batches = createBatchService({
    repo: batchRepo,
    arms: createBatchArmRunner({ runner: comparison.runner, runs }),
    scores,
    getRun: (id) => runs.get(id),
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.batch,
  });

  // Question-set evaluations (issue 11): the arms through the step engine, then the judges.
  const evaluations = createEvaluations({
    models: {
      converse: (input, callOptions) => bedrock.converse(input, callOptions),
      converseStream: (input, callOptions) => bedrock.converseStream(input, callOptions),
      applyGuardrail: (input, callOptions) => bedrock.applyGuardrail(input, callOptions),
    } satisfies StepModels,
    converse: (input, callOptions) => bedrock.converse(input, callOptions),
    corpora: rag,
    prompts: () => scores.prompts(),
  });

  return {
    now,
    db,
    rag,
    evaluations,
    resourcesDir: options.resourcesDir ?? join(process.cwd(), 'resources'),
    info: { version: options.version, dataDir: options.dataDir, dbPath },
    debug: options.debug ?? fileDebugControl(options.dataDir),
    schemaVersion: () => schemaVersion(db),
    experiments: createExperimentRepo(db, now),
    pipelines,
    runs,
    images,
    imageFiles,
    imageAnnotations: createImageAnnotationRepo(db, now),
    jobs,
    ...comparison,
    streamPace,
    ...historyServices,
    settings,
    catalog,
    bedrock,
    bedrockClients,
    scores,
    batchRepo,
    batches,
    close() {
      closed = true;
      batches.shutdown();
      comparison.runner.shutdown();
      rag.shutdown();
      evaluations.shutdown();
      scores.shutdown();
      bedrockClients.destroy();
      void jobs.close();
      db.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
