import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { SourceLockedError } from '../errors.js';

export interface DirectoryLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock file holding our pid. A lock left by a process that no longer runs
 * (kill -9) is taken over; a live holder means another bronze process uses the directory.
 */
export function acquireDirectoryLock(lockPath: string, what: string): DirectoryLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) rmSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(lockPath, 'utf8').trim());
      } catch {
        continue;
      }
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
        throw new SourceLockedError(
          `another bronze process (pid ${holder}) is using the embedded database ${what}; wait for it to finish (or use PostgreSQL for concurrent runs)`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new SourceLockedError(`cannot take the lock ${lockPath}`);
}
