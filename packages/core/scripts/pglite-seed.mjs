// Writes dist/pglite-seed.tar.gz and dist/pglite-seed.json: an empty PGlite cluster, as its
// initdb leaves it, made by the PGlite version installed here. A new embedded data folder is
// unpacked from it instead of initialised in the process (src/db/pglite-seed.ts says why).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const require = createRequire(import.meta.url);
const pgliteVersion = require(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json')).version;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const dir = mkdtempSync(join(tmpdir(), 'bronze-pglite-seed-'));
try {
  const db = await PGlite.create({ dataDir: join(dir, 'db') });
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'pglite-seed.tar.gz'), Buffer.from(await dump.arrayBuffer()));
  writeFileSync(join(dist, 'pglite-seed.json'), `${JSON.stringify({ pglite: pgliteVersion })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
