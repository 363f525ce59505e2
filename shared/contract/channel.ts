import type { z } from 'zod';

/** A request/response channel: the request is validated at run time, the response is a type. */
export interface ChannelDef<Req extends z.ZodType, Res> {
  readonly request: Req;
  /** Phantom field: carries the response type, never set at run time. */
  readonly response?: Res;
}

export function channel<Req extends z.ZodType>(request: Req) {
  return {
    returns<Res>(): ChannelDef<Req, Res> {
      return { request };
    },
  };
}

/** An event pushed from main to the renderer; the payload is a type only. */
export interface EventDef<Payload> {
  readonly payload?: Payload;
}

export function event<Payload>(): EventDef<Payload> {
  return {};
}
