import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

/** Present while a seed is being unpacked: a folder that holds it was cut short (Ctrl-C, kill). */
const UNPACKING = '.bronze-unpacking';

/**
 * Fills a new embedded data folder from the empty cluster committed in seed/ (made by
 * scripts/pglite-seed.mjs with the PGlite version core depends on; 1.2 MB), so that PGlite opens an existing cluster instead of running
 * initdb in the process: initdb built the cluster in the process's memory, ~780 MB of peak RSS
 * for README command 1 (PGlite's own tarball loader still ~370 MB), against ~210 MB to open a
 * folder. Unpacked only into an empty folder (or one whose earlier unpacking was cut short),
 * and only when the seed was made by the PGlite version installed; otherwise PGlite's own
 * initdb runs, as before. Returns whether it unpacked.
 */
export function unpackPgliteSeed(dataDir: string): boolean {
  const entries = existsSync(dataDir) ? readdirSync(dataDir) : [];
  const interrupted = entries.includes(UNPACKING);
  if (entries.length > 0 && !interrupted) return false;
  const seed = seedFile();
  if (!seed) return false;
  // Only our own files are there: the folder was empty when the first unpacking began.
  if (interrupted) for (const e of entries) if (e !== UNPACKING) rmSync(join(dataDir, e), { recursive: true, force: true });
  const marker = join(dataDir, UNPACKING);
  writeFileSync(marker, '');
  const data = brotliDecompressSync(readFileSync(seed));
  const root = resolve(dataDir);
  for (let at = 0; at < data.length; ) {
    const eol = data.indexOf(10, at);
    const entry = JSON.parse(data.toString('utf8', at, eol)) as { path: string; mode: number; size?: number };
    at = eol + 1;
    const target = resolve(root, entry.path);
    if (!target.startsWith(root + sep)) throw new Error(`pglite seed: entry outside the folder: ${entry.path}`);
    if (entry.size === undefined) mkdirSync(target, { mode: entry.mode });
    else {
      writeFileSync(target, data.subarray(at, at + entry.size), { mode: entry.mode });
      at += entry.size;
    }
  }
  rmSync(marker);
  return true;
}

/** The package's seed/, seen from the bundle (dist/) or from src/db/ (tests, tsx). */
export function seedFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const installed = installedPgliteVersion();
  for (const dir of [join(here, '..', 'seed'), join(here, '..', '..', 'seed')]) {
    const file = join(dir, 'pglite-seed.br');
    const facts = join(dir, 'pglite-seed.json');
    if (!existsSync(file) || !existsSync(facts)) continue;
    const made = (JSON.parse(readFileSync(facts, 'utf8')) as { pglite?: string }).pglite;
    return made === installed ? file : undefined;
  }
  return undefined;
}

export function installedPgliteVersion(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return (require(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json')) as { version: string }).version;
  } catch {
    return undefined;
  }
}
