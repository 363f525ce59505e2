import { z } from 'zod';
import { AppError, type Envelope } from '../shared/errors';
import { channels, isChannel } from '../shared/ipc';
import type { Handlers } from './handlers/types';

/** Where unexpected failures are reported (the log file in the app; the console by default). */
export type InternalErrorSink = (channel: string, error: unknown) => void;

const consoleSink: InternalErrorSink = (channel, error) => console.error(`[parallax] ${channel} failed:`, error);

/**
 * Validates a request from the renderer against the contract, calls its handler and wraps
 * the outcome in an envelope. Untrusted input never reaches a handler unvalidated.
 */
export async function dispatch(
  handlers: Handlers,
  channelName: unknown,
  request: unknown,
  onInternalError: InternalErrorSink = consoleSink,
): Promise<Envelope<unknown>> {
  if (!isChannel(channelName)) {
    return fail(new AppError('invalid_request', `Unknown channel ${describeChannel(channelName)}.`));
  }
  const parsed = channels[channelName].request.safeParse(request ?? {});
  if (!parsed.success) {
    return fail(new AppError('invalid_request', describeIssues(parsed.error), z.prettifyError(parsed.error)));
  }
  try {
    const handler = handlers[channelName] as (valid: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof AppError) return fail(error);
    onInternalError(channelName, error);
    return fail(
      new AppError(
        'internal',
        'Something went wrong inside Parallax. Your saved data is unchanged; try again, and report it if it repeats.',
        error instanceof Error ? error.message : String(error),
      ),
    );
  }
}

/** A channel value for a message, whatever it is (a null-prototype object cannot be String()ed). */
function describeChannel(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  try {
    return `(a ${typeof value}: ${String(value).slice(0, 80)})`;
  } catch {
    return `(a ${typeof value} that is not a channel name)`;
  }
}

/** "name: Give the experiment a name; config.arms: Too small" — short enough for a banner. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      if (issue.code === 'too_big' && issue.origin === 'string') {
        return `${field || 'The text'} is too long: at most ${Number(issue.maximum).toLocaleString('en-US')} characters. Shorten it and try again`;
      }
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

function fail(error: AppError): Envelope<never> {
  return { ok: false, error: error.toShape() };
}
