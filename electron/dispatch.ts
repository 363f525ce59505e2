import { z } from 'zod';
import { AppError, type Envelope } from '../shared/errors';
import { channels, isChannel } from '../shared/ipc';
import type { Handlers } from './handlers/types';

/**
 * Validates a request from the renderer against the contract, calls its handler and wraps
 * the outcome in an envelope. Untrusted input never reaches a handler unvalidated.
 */
export async function dispatch(handlers: Handlers, channelName: unknown, request: unknown): Promise<Envelope<unknown>> {
  if (!isChannel(channelName)) {
    return fail(new AppError('invalid_request', `Unknown channel "${String(channelName).slice(0, 80)}".`));
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
    console.error(`[parallax] ${channelName} failed:`, error);
    return fail(
      new AppError(
        'internal',
        'Something went wrong inside Parallax. Your saved data is unchanged; try again, and report it if it repeats.',
        error instanceof Error ? error.message : String(error),
      ),
    );
  }
}

/** "name: Give the experiment a name; config.arms: Too small" — short enough for a banner. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function fail(error: AppError): Envelope<never> {
  return { ok: false, error: error.toShape() };
}
