import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Writes next to the target, then renames: a crash never leaves half a file under the real name. */
export function writeFileAtomic(path: string, data: string | Uint8Array): number {
  const temp = `${path}.${randomBytes(4).toString('hex')}.partial`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
}
