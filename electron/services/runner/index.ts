export { createRunner, runStatusOf, type Runner, type RunnerOptions, type StartRun } from './runner';
export { suggestMitigation } from './suggest';
export type { RunSink, RunnerConverseInput, RunnerStreamEvent, StreamingModel, TextModel } from './types';
