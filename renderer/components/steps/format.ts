import type { StepStatus } from '../../../shared/steps/trace';

export const STEP_STATUS_LABEL: Record<StepStatus, string> = {
  pending: 'Waiting',
  running: 'Running',
  waiting: 'Needs your answer',
  done: 'Done',
  skipped: 'Skipped',
  stopped: 'Stopped the arm',
  failed: 'Failed',
  cancelled: 'Stopped',
  interrupted: 'Interrupted',
};
