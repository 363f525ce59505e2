/**
 * The app's log file: `<user data>/logs/parallax.log`, rotated at `maxBytes` into
 * parallax.1.log … parallax.<keep>.log. Plain Node (no electron), so tests run it as is.
 *
 * What it holds: start-up, shutdown, failures and their stacks. Never credentials: every line
 * goes through the Bedrock redactor (known credential values and credential-like patterns).
 * Prompts and model outputs are never logged unless verbose logging is on (`verbose()` lines).
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../services/bedrock/errors';

export interface LogOptions {
  /** The folder for the log files (created if missing). */
  dir: string;
  /** Also write `verbose()` lines (request details, texts). Off by default. */
  verbose?: boolean;
  maxBytes?: number;
  /** Rotated files kept besides the current one. */
  keep?: number;
  now?: () => number;
  /** Also echo to the console (development). */
  echo?: boolean;
}

export interface Log {
  readonly file: string;
  readonly dir: string;
  readonly isVerbose: boolean;
  /** Turns verbose lines on or off from now on (Settings › Troubleshooting). */
  setVerbose(on: boolean): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  /** Written only with verbose logging on: may name prompts, outputs, request bodies. */
  verbose(message: string): void;
}

export const LOG_FILE = 'parallax.log';
/** The log's folder inside the user-data folder. */
export const LOG_FOLDER = 'logs';

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.stack ?? `${error.name}: ${error.message}`}${typeof code === 'string' ? ` [${code}]` : ''}`;
  }
  try {
    return typeof error === 'string' ? error : JSON.stringify(error);
  } catch {
    return String(error);
  }
}

export function createLog(options: LogOptions): Log {
  const { dir } = options;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const keep = options.keep ?? 3;
  const now = options.now ?? Date.now;
  const file = join(dir, LOG_FILE);
  const rotated = (n: number) => join(dir, `parallax.${n}.log`);
  let ready = false;
  let verbose = options.verbose === true;

  function rotateIfNeeded(incoming: number): void {
    let size = 0;
    try {
      size = statSync(file).size;
    } catch {
      return;
    }
    if (size + incoming <= maxBytes) return;
    rmSync(rotated(keep), { force: true });
    for (let n = keep - 1; n >= 1; n -= 1) if (existsSync(rotated(n))) renameSync(rotated(n), rotated(n + 1));
    renameSync(file, rotated(1));
  }

  function write(level: string, message: string): void {
    const line = `${new Date(now()).toISOString()} [${level}] ${redact(message)}\n`;
    if (options.echo) (level === 'error' ? console.error : console.log)(line.trimEnd());
    try {
      if (!ready) {
        mkdirSync(dir, { recursive: true });
        ready = true;
      }
      rotateIfNeeded(Buffer.byteLength(line));
      appendFileSync(file, line);
    } catch {
      // A log that cannot be written must never take the app down.
    }
  }

  return {
    file,
    dir,
    get isVerbose() {
      return verbose;
    },
    setVerbose(on) {
      verbose = on;
    },
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message, error) => write('error', error === undefined ? message : `${message}\n${describe(error)}`),
    verbose(message) {
      if (verbose) write('verbose', message);
    },
  };
}
