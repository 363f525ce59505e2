export { ScoreCard } from './ScoreCard';
export { ArmRatingControls, RunRatingPanel } from './RatingControls';
export { RunScoresBar } from './RunScoresBar';
export { ScoreSettingsDialog } from './ScoreSettingsDialog';
