// Writes dist/pglite-seed.gz and dist/pglite-seed.json: an empty PGlite cluster, as its initdb
// leaves it, made by the PGlite version installed here. A new embedded data folder is unpacked
// from it instead of initialised in the process (src/db/pglite-seed.ts says why and reads it).
// Format, gzipped: per entry one JSON line {"path","mode"} for a folder or {"path","mode","size"}
// for a file, the file's bytes right after its line.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

const require = createRequire(import.meta.url);
const pgliteVersion = require(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json')).version;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const dir = mkdtempSync(join(tmpdir(), 'bronze-pglite-seed-'));
try {
  const dataDir = join(dir, 'db');
  const db = await PGlite.create({ dataDir });
  await db.close();
  const parts = [];
  const walk = (path) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const st = statSync(full);
      const entry = { path: relative(dataDir, full), mode: st.mode & 0o7777 };
      if (st.isDirectory()) {
        parts.push(Buffer.from(`${JSON.stringify(entry)}\n`));
        walk(full);
      } else {
        const bytes = readFileSync(full);
        parts.push(Buffer.from(`${JSON.stringify({ ...entry, size: bytes.length })}\n`), bytes);
      }
    }
  };
  walk(dataDir);
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'pglite-seed.gz'), gzipSync(Buffer.concat(parts), { level: 9 }));
  writeFileSync(join(dist, 'pglite-seed.json'), `${JSON.stringify({ pglite: pgliteVersion })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
