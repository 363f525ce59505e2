/** AWS event-stream frames (application/vnd.amazon.eventstream) as ConverseStream sends them. */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

export type ConverseStreamEventType =
  | 'messageStart'
  | 'contentBlockStart'
  | 'contentBlockDelta'
  | 'contentBlockStop'
  | 'messageStop'
  | 'metadata';

function frame(headers: Record<string, string>, payload: unknown): Uint8Array {
  return codec.encode({
    headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { type: 'string', value }])),
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** One event; the payload is the bare event object (never wrapped in its type name). */
export function eventFrame(type: ConverseStreamEventType, payload: unknown): Uint8Array {
  return frame({ ':message-type': 'event', ':event-type': type, ':content-type': 'application/json' }, payload);
}

/** A modelled error mid-stream; `type` is lower camel, e.g. 'throttlingException'. */
export function exceptionFrame(type: string, message: string): Uint8Array {
  return frame({ ':message-type': 'exception', ':exception-type': type, ':content-type': 'application/json' }, { message });
}

/** Decodes one whole frame (for tests and debugging). */
export function decodeFrame(bytes: Uint8Array): { headers: Record<string, string>; payload: unknown } {
  const message = codec.decode(bytes);
  const headers = Object.fromEntries(Object.entries(message.headers).map(([name, header]) => [name, String(header.value)]));
  return { headers, payload: JSON.parse(toUtf8(message.body)) };
}
