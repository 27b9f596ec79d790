import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `text` to a new temporary file beside `file` (created exclusively, never through a link),
 * flushes it, and renames it over `file`: a reader sees the old file or the new one, never half of
 * one, and a symbolic link planted at `file` is replaced, not followed (its target is untouched).
 * On failure the temporary file is removed and the error is thrown as it came.
 */
export function writeFileAtomically(file: string, text: string, mode = 0o644): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // not created
    }
    throw e;
  }
}
