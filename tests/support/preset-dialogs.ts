import type { Dialogs, OpenFileOptions, SaveFileOptions } from '../../electron/services/dialogs';

/**
 * The dialog service for tests: answers each save/open dialog with the next preset path
 * (null = the user pressed Cancel) and records what was asked.
 */
export function presetDialogs() {
  const saves: (string | null)[] = [];
  const opens: (string | null)[] = [];
  const asked: { kind: 'save' | 'open'; options: SaveFileOptions | OpenFileOptions }[] = [];
  const dialogs: Dialogs = {
    async chooseSaveFile(options) {
      asked.push({ kind: 'save', options });
      return saves.length > 0 ? saves.shift()! : null;
    },
    async chooseOpenFile(options) {
      asked.push({ kind: 'open', options });
      return opens.length > 0 ? opens.shift()! : null;
    },
  };
  return {
    dialogs,
    asked,
    /** The next save dialog answers with this path. */
    nextSave(path: string | null) {
      saves.push(path);
    },
    nextOpen(path: string | null) {
      opens.push(path);
    },
  };
}
