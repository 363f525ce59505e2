/**
 * The IPC contract: every channel the renderer may call and every event main may push.
 * Each domain declares its channels in `shared/contract/<domain>.ts`; this file only joins them.
 */
import type { z } from 'zod';
import { appChannels, appEvents } from './contract/app';
import type { ChannelDef, EventDef } from './contract/channel';
import { batchChannels, batchEvents } from './contract/batch';
import { compareChannels, compareEvents } from './contract/compare';
import { experimentChannels, experimentEvents } from './contract/experiments';
import { historyChannels, historyEvents } from './contract/history';
import { imageChannels } from './contract/images';
import { labChannels } from './contract/labs';
import { modelChannels } from './contract/models';
import { principleChannels } from './contract/principles';
import { ragChannels, ragEvents } from './contract/rag';
import { moderationChannels } from './contract/moderation';
import { runChannels } from './contract/runs';
import { judgeChannels, scoreChannels, scoreEvents } from './contract/scores';
import { settingsChannels, settingsEvents } from './contract/settings';
import { streamingChannels } from './contract/streaming';
import type { Envelope } from './errors';

export const channels = {
  ...appChannels,
  ...experimentChannels,
  ...labChannels,
  ...runChannels,
  ...compareChannels,
  ...historyChannels,
  ...settingsChannels,
  ...modelChannels,
  ...scoreChannels,
  ...judgeChannels,
  ...principleChannels,
  ...ragChannels,
  ...batchChannels,
  ...imageChannels,
  ...streamingChannels,
  ...moderationChannels,
} satisfies Record<`${string}:${string}`, ChannelDef<z.ZodType, unknown>>;

export const events = {
  ...appEvents,
  ...experimentEvents,
  ...compareEvents,
  ...historyEvents,
  ...settingsEvents,
  ...scoreEvents,
  ...ragEvents,
  ...batchEvents,
} satisfies Record<`${string}:${string}`, EventDef<unknown>>;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;

/** What the caller passes (defaults may be omitted). */
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
/** What the handler receives after validation (defaults filled in). */
export type ValidRequestOf<C extends Channel> = z.output<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = NonNullable<(typeof channels)[C]['response']>;
export type PayloadOf<E extends EventName> = NonNullable<(typeof events)[E]['payload']>;

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** The client the preload (and the test harness) put on `window.parallax`. */
export interface ParallaxBridge {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
}
