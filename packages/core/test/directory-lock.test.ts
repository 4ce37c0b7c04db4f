import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDirectoryLock } from '../src/db/directory-lock.js';
import { SourceLockedError } from '../src/errors.js';

/** A pid that surely runs no process: a child that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('close', r));
  return child.pid!;
}

describe('acquireDirectoryLock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bronze-lock-'));

  it('takes over a lock left by a dead process, and one left empty', async () => {
    for (const [name, content] of [['dead', String(await deadPid())], ['empty', '']] as const) {
      const path = join(dir, `${name}.lock`);
      writeFileSync(path, content);
      const lock = acquireDirectoryLock(path, name);
      expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
      expect(existsSync(`${path}.takeover`)).toBe(false);
      lock.release();
      expect(existsSync(path)).toBe(false);
    }
  });

  it('refuses a lock held by a live process, naming its pid, and leaves the lock alone', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const path = join(dir, 'live.lock');
      writeFileSync(path, String(holder.pid));
      expect(() => acquireDirectoryLock(path, 'live')).toThrow(SourceLockedError);
      expect(() => acquireDirectoryLock(path, 'live')).toThrow(new RegExp(`pid ${holder.pid}`));
      expect(readFileSync(path, 'utf8')).toBe(String(holder.pid));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('clears a takeover file left by a process killed while taking over', async () => {
    const path = join(dir, 'takeover.lock');
    writeFileSync(path, String(await deadPid()));
    writeFileSync(`${path}.takeover`, String(await deadPid()));
    const lock = acquireDirectoryLock(path, 'takeover');
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    lock.release();
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose holder has exited but is not reaped yet (a zombie)', async () => {
    // `sleep 0.2` in the background, then the shell becomes `sleep 30`, which never waits for it:
    // once it exits, it stays a zombie until its parent ends.
    const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30']);
    try {
      const zombie = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
      let state = '';
      for (let i = 0; i < 100 && state !== 'Z'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const stat = readFileSync(`/proc/${zombie}/stat`, 'utf8');
        state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      }
      expect(state).toBe('Z');
      const path = join(dir, 'zombie.lock');
      writeFileSync(path, String(zombie));
      const lock = acquireDirectoryLock(path, 'zombie');
      expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
      lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
