/**
 * The output folder (cdktf.out) as the command line replaces it: one run at a time (a lock file
 * beside it), what an interrupted run left behind recovered at the start of the next, the user's
 * and Terraform's files carried over by hard links (never moved out of the old folder), and the
 * folder never left missing by a run that fails.
 */
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** What synthesis writes in a stack folder; anything else there belongs to the user or Terraform. */
const SYNTHESIZED = new Set(['cdk.tf.json']);
/** Terraform's own working files: safe to drop with the folder of a removed environment. */
const DISPOSABLE = new Set(['cdk.tf.json', '.terraform', '.terraform.lock.hcl']);

/** A problem with the output folder that the user can fix; nothing was written. */
export class OutputFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputFolderError';
  }
}

export interface LockOptions {
  /** How long to wait for another run to finish, in milliseconds. @default 120000 */
  readonly waitMs?: number;
  /** Called once when the lock is held by another run and this one waits. */
  readonly onWait?: (holder: string) => void;
}

/** The lock file's content: who holds it. */
interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

/**
 * Runs `work` while holding the lock of `outdir` (the file `<outdir>.lock`, created exclusively).
 * A lock left by a process of this machine that no longer runs is taken over. The lock is by
 * process ID rather than by a refreshed timestamp (as proper-lockfile does): synthesis runs
 * synchronously, so no timer could refresh one, and a long run would look stale.
 */
export function withOutputLock<T>(outdir: string, work: () => T, options: LockOptions = {}): T {
  const lock = `${outdir}.lock`;
  mkdirSync(dirname(outdir), { recursive: true });
  const deadline = Date.now() + (options.waitMs ?? 120_000);
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() } satisfies Holder));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new OutputFolderError(
          `cannot create the lock file ${lock} (${(e as NodeJS.ErrnoException).code}): make the folder ${dirname(outdir)} writable, or set CDKTF_OUTDIR`,
        );
      }
      const holder = readHolder(lock);
      if (holder === undefined || isGone(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      const who = `process ${holder.pid} on ${holder.host}, since ${holder.started}`;
      if (Date.now() > deadline) {
        throw new OutputFolderError(`${outdir} is locked by another synthesis (${who}); if none is running, delete ${lock}`);
      }
      if (!told) options.onWait?.(who);
      told = true;
      sleep(50);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function readHolder(lock: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(lock, 'utf8')) as Partial<Holder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.started === 'string') return h as Holder;
  } catch {
    // Being written right now, or damaged: judged by its age below.
  }
  try {
    // A lock that is still unreadable after a few seconds was left half-written by a killed run.
    return Date.now() - lstatSync(lock).mtimeMs > 5_000 ? undefined : { pid: process.pid, host: hostname(), started: 'now' };
  } catch {
    return undefined;
  }
}

function isGone(h: Holder): boolean {
  if (h.host !== hostname()) return false; // Another machine on a shared folder: cannot tell; wait.
  if (h.pid === process.pid) return false;
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The staging and old folders of runs, beside `outdir`. */
function leftovers(outdir: string): { readonly staging: string[]; readonly old: string[] } {
  const parent = dirname(outdir);
  const name = basename(outdir);
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    return { staging: [], old: [] };
  }
  const of = (kind: string) =>
    entries
      .filter((e) => e.startsWith(`${name}.${kind}-`) && /^\d+$/.test(e.slice(name.length + kind.length + 2)))
      .map((e) => join(parent, e))
      .sort((a, b) => lstatSync(b).mtimeMs - lstatSync(a).mtimeMs);
  return { staging: of('staging'), old: of('old') };
}

/**
 * Under the lock: puts back what an interrupted run left. A missing output folder with an old one
 * beside it is restored from the newest; staging folders and other old folders are deleted.
 * @returns what was done, in words, for the user
 */
export function recoverOutput(outdir: string): string[] {
  const notes: string[] = [];
  const { staging, old } = leftovers(outdir);
  if (!existsSync(outdir) && old.length > 0) {
    renameSync(old[0], outdir);
    notes.push(`restored ${outdir} from ${basename(old[0])}, left by an interrupted run`);
    old.shift();
  }
  for (const d of [...staging, ...old]) {
    rmSync(d, { recursive: true, force: true });
    notes.push(`removed ${basename(d)}, left by an interrupted run`);
  }
  return notes;
}

/**
 * Fails before anything is synthesized when the output folder cannot be replaced: every folder in
 * it must be writable (its entries are removed with it) and so must the folder that holds it.
 */
export function checkWritable(outdir: string): void {
  const parent = dirname(outdir);
  const fix = `make it writable (chmod -R u+w ${outdir}) or set CDKTF_OUTDIR to another folder; nothing was written`;
  try {
    accessSync(existsSync(parent) ? parent : dirname(parent), constants.W_OK);
  } catch {
    throw new OutputFolderError(
      `${parent} is not writable, so ${basename(outdir)} cannot be written there: set CDKTF_OUTDIR to another folder; nothing was written`,
    );
  }
  if (!existsSync(outdir)) return;
  const walk = (dir: string) => {
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new OutputFolderError(`${dir} is read-only, and synthesis replaces ${outdir} as a whole: ${fix}`);
    }
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (lstatSync(p).isDirectory()) walk(p);
    }
  };
  walk(outdir);
}

/**
 * Puts the staged output in place of `outdir`. First the previous stack folders' other files
 * (Terraform's working files, plans, workspaces) are hard-linked into the staged folders, so the
 * old output stays whole until the swap; then the old folder is renamed aside, the staged one
 * renamed in, and the old one deleted. If the process dies between the two renames, the next run
 * restores the old folder (see `recoverOutput`).
 */
export function replaceOutput(staging: string, outdir: string): void {
  const oldStacks = join(outdir, 'stacks');
  if (existsSync(oldStacks)) {
    for (const stack of readdirSync(oldStacks)) {
      const from = join(oldStacks, stack);
      if (!lstatSync(from).isDirectory()) continue;
      const to = join(staging, 'stacks', stack);
      const entries = readdirSync(from);
      // A removed environment's folder with the user's files in it (a plan, local workspaces) is
      // kept without its stale cdk.tf.json; cdktf no longer lists it in manifest.json.
      const kept = existsSync(to) || entries.some((name) => !DISPOSABLE.has(name));
      if (!kept) continue;
      mkdirSync(to, { recursive: true });
      for (const name of entries) if (!SYNTHESIZED.has(name)) linkTree(join(from, name), join(to, name));
    }
  }
  const old = `${outdir}.old-${process.pid}`;
  const hadOutput = existsSync(outdir);
  if (hadOutput) renameSync(outdir, old);
  try {
    renameSync(staging, outdir);
  } catch (e) {
    if (hadOutput) renameSync(old, outdir);
    throw e;
  }
  if (hadOutput) rmSync(old, { recursive: true, force: true });
}

/** Recreates `from` at `to`: folders made, files hard-linked (copied where links fail), symbolic links as links. */
function linkTree(from: string, to: string): void {
  const s = lstatSync(from);
  if (s.isDirectory()) {
    mkdirSync(to, { recursive: true, mode: s.mode & 0o7777 });
    for (const name of readdirSync(from)) linkTree(join(from, name), join(to, name));
  } else if (s.isSymbolicLink()) {
    symlinkSync(readlinkSync(from), to);
  } else {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
}
