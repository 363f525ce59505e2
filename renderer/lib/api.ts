/** The renderer's only door to the main process: a typed wrapper over `window.parallax`. */
import type { AppErrorShape, ErrorCode } from '../../shared/errors';
import type { Channel, EventName, ParallaxBridge, PayloadOf, RequestOf, ResponseOf } from '../../shared/ipc';

declare global {
  interface Window {
    parallax?: ParallaxBridge;
  }
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: string | undefined;
  /** A finer category (e.g. Bedrock's 'offline', 'credentials') for picking an icon. */
  readonly kind: string | undefined;

  constructor(shape: AppErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.details = shape.details;
    this.kind = shape.kind;
  }
}

function bridge(): ParallaxBridge {
  if (!window.parallax) {
    throw new ApiError({
      code: 'unavailable',
      message: 'Parallax could not reach its background process. Restart the app.',
    });
  }
  return window.parallax;
}

export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const envelope = await bridge().invoke(channel, request);
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}

export function on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
  return bridge().on(event, listener);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const api = { call, on };
