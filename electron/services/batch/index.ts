export { createBatchArmRunner, type ArmOutcome, type BatchArmRunner } from './arms';
export { createBatchRepo, type BatchRepo } from './repo';
export { createBatchService, variablesUsed, type BatchService, type StartBatch } from './service';
export { formatOf, parseDataset } from './parse';
