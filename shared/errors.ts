/** Error codes that cross the IPC boundary. The renderer shows `message`; `code` drives behaviour. */
export type ErrorCode =
  | 'invalid_request'
  | 'not_found'
  | 'conflict'
  | 'bad_input'
  | 'bedrock'
  | 'cancelled'
  | 'unavailable'
  | 'internal';

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /** Raw technical detail for a "details" disclosure; never contains credentials. */
  details?: string;
  /** A finer category the UI may use to pick an icon (e.g. Bedrock's 'credentials', 'offline'). */
  kind?: string;
}

/** Thrown by services and handlers; anything else becomes an `internal` error at the boundary. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toShape(): AppErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
