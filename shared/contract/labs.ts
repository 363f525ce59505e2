/**
 * Guided labs shipped with Parallax (resources/labs.json). The renderer's Labs screen reads the
 * full labs from shared/labs.ts; this channel is for screens that only hold a lab id (History's
 * lab filter and run details) and need a title to show.
 */
import { z } from 'zod';
import type { LabSummary } from '../labs';
import { channel } from './channel';

export const labChannels = {
  /** Every shipped lab, in workshop order: id, title, level, summary, technique ids. */
  'labs:list': channel(z.object({})).returns<LabSummary[]>(),
};
