/**
 * File dialogs as a service: the shell supplies an Electron implementation (electron/dialogs.ts),
 * the tests a preset one. Channels that read or write files ask here for the path, so the
 * renderer never names a path itself.
 */
export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface SaveFileOptions {
  title: string;
  defaultName: string;
  filters: FileFilter[];
}

export interface OpenFileOptions {
  title: string;
  filters: FileFilter[];
}

export interface Dialogs {
  /** The path the user chose, or null if they cancelled. */
  chooseSaveFile(options: SaveFileOptions): Promise<string | null>;
  chooseOpenFile(options: OpenFileOptions): Promise<string | null>;
  /** Several files at once (corpora); without it, callers fall back to one file. [] = cancelled. */
  chooseOpenFiles?(options: OpenFileOptions): Promise<string[]>;
}

/** Used when no dialog service was supplied (e.g. plain Node tools): every choice is "cancel". */
export const noDialogs: Dialogs = {
  chooseSaveFile: async () => null,
  chooseOpenFile: async () => null,
};

/** A file name without characters that file systems refuse. */
export function safeFileName(name: string, extension: string): string {
  const base = name
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return `${base || 'parallax-export'}.${extension}`;
}
