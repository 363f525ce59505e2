export { runArm, planArm, pendingTraces, isCancellation, errorShape, type RunArmInput } from './engine';
export { stepRunner } from './registry';
export { textGenerator } from './generate-text';
export type * from './types';
