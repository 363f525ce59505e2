/**
 * The props every step editor gets: the same shape as StepEditorProps in registry.tsx (the
 * arm-model work owns the registry); kept here so the editors of this folder compile alone.
 */
import type { Variable } from '../../../shared/domain';
import type { StepKind, StepOf } from '../../../shared/steps/registry';
import type { Technique } from '../../../shared/techniques';

export interface EditorContext {
  techniques: readonly Technique[];
  variables: readonly Variable[];
  models: readonly { id: string; name: string }[];
  armModelId: string;
}

export interface EditorProps<K extends StepKind> {
  step: StepOf<K>;
  label: string;
  ctx: EditorContext;
  onChange(step: StepOf<K>): void;
}
