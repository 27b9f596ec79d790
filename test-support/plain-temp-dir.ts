import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let made = 0;

/**
 * A new directory under the system's temporary one, named by the prefix, the process ID and a
 * counter only. mkdtemp's random suffix (letters and digits in mixed case) can make a whole path
 * read as an old-format Entra ID client secret to the redaction every printed line goes through
 * (lib/private/credentials.ts), which then hides the path a test expects to see.
 */
export function plainTempDir(prefix: string): string {
  for (;;) {
    const dir = join(tmpdir(), `${prefix}${process.pid}-${Date.now()}-${made++}`);
    try {
      mkdirSync(dir, { mode: 0o700 });
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
