import { z } from 'zod';
import type { RunDetail } from '../domain';
import { channel } from './channel';

export const runChannels = {
  'runs:get': channel(z.object({ id: z.string().min(1).max(200) })).returns<RunDetail>(),
};
