import { closeSync, linkSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { SourceLockedError } from '../errors.js';

export interface DirectoryLock {
  release(): void;
}

/**
 * Whether `pid` still runs. A zombie (exited, not yet reaped by its parent: a supervisor that
 * does not wait, or a container's PID 1 that reaps late) answers signal 0 but holds no file
 * and writes nothing more, so it does not hold the lock. Its state is read from /proc where
 * there is one (Linux); elsewhere signal 0 decides.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !exited(pid);
}

/** True when /proc says `pid` has exited (state Z or X); false when it runs or /proc cannot say. */
function exited(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "pid (comm) S …": comm may hold spaces and parentheses, so the state follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

/** The pid in a lock file; undefined when the file is gone, NaN when it holds no pid. */
function holderOf(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : NaN;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Creates `path` holding our pid, atomically: the pid is written to a private file first and
 * hard-linked into place, so the lock file never exists empty or half-written (a reader that
 * found an empty file would take it for stale). False when `path` already exists.
 */
function createWithPid(path: string): boolean {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, String(process.pid));
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * A holder that no longer runs. Our own pid counts as stale too: a container restarted
 * after kill -9 often gets the same pid (1) as the process that left the lock.
 */
const isStale = (holder: number | undefined) => holder !== undefined && (Number.isNaN(holder) || holder === process.pid || !alive(holder));

/**
 * Removes a stale lock (its holder no longer runs: kill -9) without ever removing a live one.
 * Only the holder of `<lock>.takeover` may remove the lock file, and it checks the holder
 * again once it has it: two processes that both saw the same dead pid cannot both take over.
 */
function removeStale(lockPath: string, seen: number): void {
  const takeover = `${lockPath}.takeover`;
  if (!createWithPid(takeover)) {
    // A process killed inside this short section leaves the takeover file behind.
    if (isStale(holderOf(takeover))) rmSync(takeover, { force: true });
    return;
  }
  try {
    const now = holderOf(lockPath);
    if (now !== undefined && (now === seen || Number.isNaN(now)) && isStale(now)) unlinkSync(lockPath);
  } finally {
    rmSync(takeover, { force: true });
  }
}

/**
 * An exclusive lock file holding our pid. A lock left by a process that no longer runs
 * (kill -9) is taken over; a live holder means another bronze process uses the directory.
 * The caller passes a normalised path (realpath of the directory), so that `data/bronze`,
 * `data/bronze/` and a symlink to it share one lock.
 */
export function acquireDirectoryLock(lockPath: string, what: string): DirectoryLock {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (createWithPid(lockPath)) {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (holderOf(lockPath) === process.pid) rmSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { release };
    }
    const holder = holderOf(lockPath);
    if (holder === undefined) continue; // released meanwhile: try again
    if (!isStale(holder)) {
      throw new SourceLockedError(
        `another bronze process (pid ${holder}) is using the embedded database ${what}; wait for it to finish (or use PostgreSQL for concurrent runs)`,
      );
    }
    removeStale(lockPath, holder);
    // Another process may be taking over meanwhile: let it finish before looking again.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.floor(Math.random() * 20));
  }
  throw new SourceLockedError(`cannot take the lock ${lockPath} for the embedded database ${what}`);
}
