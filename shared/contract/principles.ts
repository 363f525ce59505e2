/** Named principle sets for critique-and-revise steps: list, save, delete (issue 9). */
import { z } from 'zod';
import { PrincipleSetInput, type PrincipleSet } from '../principles';
import { channel } from './channel';

export const principleChannels = {
  /** Every saved set, by name. */
  'principles:list': channel(z.object({})).returns<PrincipleSet[]>(),
  /** Creates a set, or replaces the one with this id; names are unique (any case). */
  'principles:save': channel(PrincipleSetInput).returns<PrincipleSet>(),
  'principles:delete': channel(z.object({ id: z.string().min(1).max(80) })).returns<{ deleted: boolean }>(),
};
