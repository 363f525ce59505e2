import { z } from 'zod';
import type { Experiment, ExperimentSummary } from '../domain';
import { ExperimentInput } from '../domain';
import { channel, event } from './channel';

const ById = z.object({ id: z.string().min(1).max(200) });

export const experimentChannels = {
  'experiments:list': channel(z.object({})).returns<ExperimentSummary[]>(),
  'experiments:get': channel(ById).returns<Experiment>(),
  'experiments:save': channel(ExperimentInput).returns<Experiment>(),
  'experiments:delete': channel(ById).returns<{ deleted: boolean }>(),
};

export const experimentEvents = {
  'experiments:changed': event<{ id: string }>(),
};
