import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * The published shape: `pnpm pack` of @bronze/core and @bronze/source-manual (built by
 * turbo before tests), installed with npm into a project outside the workspace, then
 * imported (ESM and CommonJS) and run against PGlite. The packages ship no bin: the command
 * line is the runner's (`bronze ingest manual`, private), which this test does not pack.
 */
describe('packed packages work outside the workspace', () => {
  it('installs, imports and ingests a CSV into PGlite', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bronze-pack-'));
    for (const pkg of ['../../core', '..']) run('pnpm', ['pack', '--pack-destination', out], join(here, pkg));
    const tarballs = readdirSync(out).filter((f) => f.endsWith('.tgz'));
    expect(tarballs.sort()).toEqual([expect.stringMatching(/^bronze-core-.*\.tgz$/), expect.stringMatching(/^bronze-source-manual-.*\.tgz$/)]);
    const app = join(out, 'app');
    run('mkdir', ['-p', app], out);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'someone-elses-app', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.map((t) => join(out, t))], app);
    writeFileSync(join(app, 'rows.csv'), 'id,date,steps\n1,2024-06-01,9000\n2,2024-06-02,12000\n');
    writeFileSync(join(app, 'esm.mjs'), `
      import manual from '@bronze/source-manual';
      import { openDatabase, ingest, silentLogger } from '@bronze/core';
      const db = await openDatabase({ dataDir: ${JSON.stringify(join(app, 'db'))} });
      const r = await ingest(db, manual, { files: ['rows.csv'], logger: silentLogger() });
      const again = await ingest(db, manual, { files: ['rows.csv'], force: true, logger: silentLogger() });
      const [{ n }] = await db.withSession((s) => s.query('SELECT count(*)::int AS n FROM bronze_manual'));
      await db.close();
      console.log(JSON.stringify({ inserted: r.inserted, n, again: [again.status, again.inserted, again.unchanged] }));`);
    expect(JSON.parse(run('node', ['esm.mjs'], app))).toEqual({ inserted: 2, n: 2, again: ['succeeded', 0, 2] });

    // Core's reader thread from the installed package (its worker entry, `@bronze/core/read-worker`),
    // for someone else's source that opts in: each record says which thread read it.
    writeFileSync(join(app, 'threaded.mjs'), `
      import { isMainThread } from 'node:worker_threads';
      import { defineSource, emit, Type } from '@bronze/core';
      export default defineSource({
        name: 'threaded', version: '1', description: 'read in core\\'s thread', config: Type.Object({}), configure: () => ({}),
        module: import.meta.url,
        streams: () => [{ name: 'lines', schema: Type.Object({ id: Type.String() }), id: (r) => r.id }],
        files: { accepts: '.jsonl', async *read(file, _c, ctx) {
          for await (const l of ctx.files.jsonLines(file)) yield emit({ ...l.value, mainThread: isMainThread }, { stream: 'lines' });
        } },
      });`);
    writeFileSync(join(app, 'rows.jsonl'), '{"id":"a"}\n{"id":"b"}\n{"id":"c"}\n');
    writeFileSync(join(app, 'thread.mjs'), `
      import threaded from './threaded.mjs';
      import { openDatabase, ingest, silentLogger } from '@bronze/core';
      const db = await openDatabase({ dataDir: ${JSON.stringify(join(app, 'db'))} });
      const r = await ingest(db, threaded, { files: ['rows.jsonl'], logger: silentLogger(), env: { BRONZE_READ_WORKER: 'on' } });
      const rows = await db.withSession((s) => s.query("SELECT raw_data->>'mainThread' AS main FROM bronze_threaded"));
      await db.close();
      console.log(JSON.stringify({ status: r.status, errors: r.errors, main: rows.map((x) => x.main) }));`);
    expect(JSON.parse(run('node', ['thread.mjs'], app))).toEqual({ status: 'succeeded', errors: [], main: ['false', 'false', 'false'] });
    writeFileSync(join(app, 'cjs.cjs'), `
      const manual = require('@bronze/source-manual').default;
      const core = require('@bronze/core');
      console.log(JSON.stringify({ name: manual.name, hasIngest: typeof core.ingest, hash: core.recordHash({ b: 1, a: 2 }) }));`);
    expect(JSON.parse(run('node', ['cjs.cjs'], app))).toEqual({ name: 'manual', hasIngest: 'function', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  }, 300_000);
});
