// `pnpm bronze …`: runs the built CLI (apps/runner/dist/cli.js, plain JavaScript: no
// TypeScript loader in memory or on the start-up path). Builds it first, once, when a
// package's dist is missing or older than its sources (a fresh clone, a git pull, an
// edit); development and tests keep running the sources through the `source` condition.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = join(root, 'apps/runner/dist/cli.js');

/** Newest mtime (ms) of the files below a path; 0 when it does not exist. */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of readdirSync(path)) max = Math.max(max, newest(join(path, e)));
  return max;
}

/** The packages the CLI is built from, each with its inputs and its output. */
function stale() {
  const dirs = ['apps/runner', ...readdirSync(join(root, 'packages')).filter((d) => d === 'core' || d === 'fit' || d.startsWith('source-')).map((d) => `packages/${d}`)];
  const sql = newest(join(root, 'sql'));
  return dirs.some((d) => {
    const built = newest(join(root, d, 'dist'));
    if (!built) return true;
    const inputs = Math.max(newest(join(root, d, 'src')), newest(join(root, d, 'scripts')), newest(join(root, d, 'package.json')), d === 'packages/core' ? sql : 0);
    return inputs > built;
  });
}

if (stale()) {
  process.stderr.write('bronze: building the CLI (once after an install or a change of the sources)…\n');
  const turbo = join(root, 'node_modules/.bin/turbo');
  // Without TypeScript declarations: the CLI does not need them, and their build is the
  // largest process of a first run (~400 MB). turbo hashes the variable (turbo.json), so a
  // later `pnpm build`/`pnpm test` builds them.
  const env = { ...process.env, BRONZE_BUILD_NO_DTS: '1' };
  const r = spawnSync(turbo, ['run', 'build', '--filter=@bronze/runner...', '--filter=!@bronze/testkit', '--output-logs=errors-only'], { cwd: root, env, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    process.stderr.write(`error: building the CLI failed (${r.error?.message ?? `exit ${r.status}`}); run 'pnpm build' to see why\n`);
    process.exit(1);
  }
}
await import(pathToFileURL(cli).href);
