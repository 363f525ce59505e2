export { ArmColumn, type ArmColumnProps } from './ArmColumn';
export { DiffView, type DiffSide } from './DiffView';
export { RunView, type RunLiveState, type RunViewProps } from './RunView';
export { SafeMarkdown } from './SafeMarkdown';
export { formatCost, formatMs, formatStopReason, formatTokens, STATUS_LABEL } from './format';
