export { openDb, schemaVersion, type Db, type OpenDbOptions } from './db';
export { createExperimentRepo, type ExperimentRepo } from './experiments';
export { createRunRepo, type RunRepo } from './runs';
export { createTechniqueRepo, type TechniqueRepo } from './techniques';
export { createImageRepo, type ImageRepo } from './images';
export { createStepRepo, type StepRepo } from './steps';
export { createPrincipleRepo, type PrincipleRepo } from './principles';
export { createPipelineRepo, type PipelineRepo } from './pipelines';
