/**
 * The comparison workspace's services, built from the database, the run repository and the
 * Bedrock service: the runner, the user's techniques, and the model behind "Suggest".
 */
import { createPrincipleRepo, createTechniqueRepo, type Db, type RunRepo } from '../store';
import { imageGenerator } from '../steps/generate-images';
import type { ImageGenerator } from '../images/generate';
import type { ImageRepo } from '../store/images';
import { createRunner, type RunnerOptions } from './runner';
import type { StreamingModel, TextModel } from './types';

export interface ComparisonDeps {
  db: Db;
  runs: RunRepo;
  now: () => number;
  bedrock: StreamingModel & TextModel & ImageGenerator;
  /** Where image arms keep their samples. */
  images: ImageRepo;
  /** The model "Suggest a mitigation" uses when the request names none (settings: generation model). */
  defaultSuggestModel(): string;
  estimateCost?(modelId: string, inputTokens: number, outputTokens: number): number | null;
  /** Called once a run has settled (automatic scoring). */
  onRunFinished?: RunnerOptions['onRunFinished'];
  /** Called once a run is stored, with each arm's steps (records the moderation pipelines it used). */
  onRunCreated?: RunnerOptions['onRunCreated'];
  /** Corpora for retrieve and clarify steps (issue 11). */
  corpora?: RunnerOptions['corpora'];
  /** Interval between two delta events of one arm: a number, or read each time (streaming/pace.ts). */
  deltaIntervalMs?: number | (() => number);
}

export function createComparison(deps: ComparisonDeps) {
  const techniques = createTechniqueRepo(deps.db, deps.now);
  return {
    runner: createRunner({
      bedrock: deps.bedrock,
      runs: deps.runs,
      techniques: () => techniques.list(),
      defaultModelId: deps.defaultSuggestModel,
      ...(deps.corpora ? { corpora: deps.corpora } : {}),
      ...(deps.estimateCost ? { estimateCost: deps.estimateCost } : {}),
      ...(deps.onRunFinished ? { onRunFinished: deps.onRunFinished } : {}),
      ...(deps.onRunCreated ? { onRunCreated: deps.onRunCreated } : {}),
      ...(deps.deltaIntervalMs !== undefined ? { deltaIntervalMs: deps.deltaIntervalMs } : {}),
      imageGenerator: imageGenerator({ model: deps.bedrock, images: deps.images }),
    }),
    techniques,
    principles: createPrincipleRepo(deps.db, deps.now),
    suggestModel: deps.bedrock as TextModel,
    defaultSuggestModel: deps.defaultSuggestModel,
  };
}
