/**
 * Turns a start-up failure into what the dialog says: the problem in one sentence, and what to
 * do about it. Plain Node (no electron): the shell shows the result, the tests read it.
 */
import { basename, dirname } from 'node:path';

export interface StartupContext {
  /** The database file Parallax opens. */
  dbPath: string;
  /** The log file holding the full error. */
  logFile: string;
  /** Whether this is an installed (packaged) app, or a developer checkout. */
  packaged: boolean;
}

export interface StartupProblem {
  /** Window title and headline. */
  title: string;
  /** The problem and the fix, for a person. */
  message: string;
  /** Technical detail: the raw error and where the log is. */
  detail: string;
  /** A folder worth opening from the dialog (the data folder for database problems). */
  folder: string | null;
  kind: 'native-missing' | 'native-abi' | 'native-broken' | 'newer-schema' | 'locked' | 'corrupt' | 'no-access' | 'unknown';
}

/** Thrown by the shell when the Electron-ABI build of better-sqlite3 is not where it must be. */
export class NativeModuleMissingError extends Error {
  constructor(readonly path: string) {
    super(`better-sqlite3's native module is missing: ${path}`);
    this.name = 'NativeModuleMissingError';
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'an unknown error';
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

export function describeStartupFailure(error: unknown, context: StartupContext): StartupProblem {
  const raw = messageOf(error);
  const code = codeOf(error);
  const file = basename(context.dbPath);
  const dataDir = dirname(context.dbPath);
  const detail = `${raw}${code ? ` (${code})` : ''}\n\nThe full report is in the log file:\n${context.logFile}`;
  const reinstall = context.packaged
    ? 'Reinstall Parallax from its download page.'
    : 'Run `npm run native:electron` in the project folder, then `npm start` again (see README, "Native module").';
  const fromBackup = `To start from a backup instead: quit, move ${file} out of ${dataDir}, and copy your backup file there under the name ${file}.`;

  const problem = (kind: StartupProblem['kind'], title: string, message: string, folder: string | null = null): StartupProblem => ({
    kind,
    title,
    message,
    detail,
    folder,
  });

  if (error instanceof NativeModuleMissingError) {
    return problem('native-missing', 'Parallax cannot open its database', `Parallax's database module (better_sqlite3.node) is missing from this installation. ${reinstall}`);
  }
  const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION (\d+)/.exec(raw);
  if (abi) {
    return problem(
      'native-abi',
      'Parallax cannot open its database',
      `Parallax's database module was built for a different version of Electron or Node (ABI ${abi[1]}; this app needs ABI ${abi[2]}). ${reinstall}`,
    );
  }
  if (/Could not locate the bindings file|Cannot find module 'better-sqlite3'|better_sqlite3\.node.*(ENOENT|no such file)/i.test(raw)) {
    return problem('native-missing', 'Parallax cannot open its database', `Parallax's database module (better_sqlite3.node) could not be found. ${reinstall}`);
  }
  if (code === 'ERR_DLOPEN_FAILED' || /invalid ELF header|not a valid Win32 application|incompatible architecture|wrong ELF class|dlopen/i.test(raw)) {
    return problem(
      'native-broken',
      'Parallax cannot open its database',
      `Parallax's database module could not be loaded: it is damaged or was built for another system or processor. ${reinstall}`,
    );
  }
  const newer = /newer version of Parallax \(schema (\d+), this app knows (\d+)\)/.exec(raw);
  if (newer) {
    return problem(
      'newer-schema',
      'Your data needs a newer Parallax',
      `The database was written by a newer Parallax (schema ${newer[1]}; this version knows ${newer[2]}). Install the newer version to open it; nothing was changed. ${fromBackup}`,
      dataDir,
    );
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED' || /database is locked/i.test(raw)) {
    return problem(
      'locked',
      'The database is in use',
      `${file} is locked by another program. Close any other copy of Parallax and any tool that has the file open (a database browser, a backup or sync tool), then start Parallax again.`,
      dataDir,
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || /file is not a database|database disk image is malformed/i.test(raw)) {
    return problem(
      'corrupt',
      'The database file is damaged',
      `${file} is damaged or is not a Parallax database, so Parallax left it untouched. ${fromBackup}`,
      dataDir,
    );
  }
  if (['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'EACCES', 'EPERM', 'EROFS'].includes(code)) {
    return problem('no-access', 'Parallax cannot use its data folder', `Parallax could not open ${file} for writing in ${dataDir}. Check that the folder exists and that you may write to it, then start Parallax again.`, dataDir);
  }
  return problem('unknown', 'Parallax could not start', `Something went wrong while Parallax was starting: ${raw} Your saved data was not changed. Try again; if it repeats, report it with the log file.`);
}
