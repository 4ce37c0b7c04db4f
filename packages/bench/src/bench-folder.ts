import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a benchmark writes its files: `--dir` (made if missing, always kept) or a new
 * temporary folder, which `remove()` deletes unless `--keep`.
 */
export function benchFolder(o: { dir?: string; keep: boolean }, prefix = 'bronze-bench-'): { dir: string; remove(): void } {
  const dir = o.dir ? (mkdirSync(o.dir, { recursive: true }), o.dir) : mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    remove() {
      if (!o.keep && !o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
