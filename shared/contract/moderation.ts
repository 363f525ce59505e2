/** Moderation pipelines (issue 10): named, saved guards on input and output. */
import { z } from 'zod';
import { PipelineInput, type ModerationPipeline } from '../moderation/pipeline';
import { channel } from './channel';

const Id = z.object({ id: z.string().min(1).max(80) });

export const moderationChannels = {
  'moderation:listPipelines': channel(z.object({})).returns<ModerationPipeline[]>(),
  /** Creates (no id) or updates a pipeline; a name another pipeline has is a conflict. */
  'moderation:savePipeline': channel(PipelineInput).returns<ModerationPipeline>(),
  /** Runs that used it keep their copy of its guards. */
  'moderation:deletePipeline': channel(Id).returns<{ deleted: boolean }>(),
  /** Which pipelines each arm of a run used, as they were then. */
  'moderation:runPipelines': channel(z.object({ runId: z.string().min(1).max(80) })).returns<{ armIndex: number; pipelineId: string; name: string; steps: unknown[] }[]>(),
};
