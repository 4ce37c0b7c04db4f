// `pnpm --filter @bronze/core make-seed`: writes seed/pglite-seed.br and seed/pglite-seed.json,
// an empty PGlite cluster as its initdb leaves it (UTC, C locale: nothing of this machine),
// made by the PGlite version installed here. A new embedded data folder is unpacked from it
// instead of initialised in the process (src/db/pglite-seed.ts says why and reads it). The seed
// is committed: making it is PGlite's initdb, the ~800 MB step it saves every user, so it is not
// part of the build; test/pglite-seed.test.ts fails when the installed PGlite is another version.
// Format, brotli-compressed: per entry one JSON line {"path","mode"} for a folder or
// {"path","mode","size"} for a file, the file's bytes right after its line.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

const require = createRequire(import.meta.url);
const pgliteVersion = require(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json')).version;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'seed');
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
  const raw = Buffer.concat(parts);
  mkdirSync(out, { recursive: true });
  const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length };
  writeFileSync(join(out, 'pglite-seed.br'), brotliCompressSync(raw, { params }));
  writeFileSync(join(out, 'pglite-seed.json'), `${JSON.stringify({ pglite: pgliteVersion })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
