import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BronzeError } from '../errors.js';

const failure = (path: string, what: string, err: unknown) =>
  new BronzeError(`cannot ${what} the embedded database folder ${path} (BRONZE_DATA_DIR): ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 1, { cause: err });

/**
 * Creates the embedded database's folder one level at a time and checks it is writable,
 * failing at once with the path and the errno. (`mkdirSync(…, { recursive: true })` loops
 * forever on some paths, e.g. under /proc, where mkdir answers ENOENT for a parent that
 * exists: a synchronous loop that no signal can interrupt.)
 */
export function ensureDataFolder(path: string): void {
  const dir = resolve(path);
  const missing: string[] = [];
  for (let p = dir; ; p = dirname(p)) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(p) === p) throw failure(dir, 'create', err);
      missing.unshift(p);
      continue;
    }
    if (!isDir) throw failure(dir, 'create', Object.assign(new Error(`${p} is not a folder`), { code: 'ENOTDIR' }));
    break;
  }
  for (const p of missing) {
    try {
      mkdirSync(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw failure(dir, 'create', err);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
    // The lock file lives next to the folder.
    accessSync(dirname(dir), constants.W_OK);
  } catch (err) {
    throw failure(dir, 'write to', err);
  }
}
