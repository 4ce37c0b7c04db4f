import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngines } from '@bronze/testkit';
import { bronze, project, writeEnv } from './process-helpers.js';

const TOKEN = 'tok_Zq81supersecretvalue';
const PASSWORD = 'pw-Hx7-never-shown';

for (const engine of testEngines()) {
  describe(`secrets stay secret [${engine}]`, () => {
    it('no secret from .env reaches logs, errors, pipeline_parameters, bronze_runs or rows', async () => {
      const p = await project(engine);
      try {
        const env = engine === 'postgres' ? { ...p.env, DATABASE_URL: '' } : p.env;
        const url = engine === 'postgres' ? new URL(p.env.DATABASE_URL) : undefined;
        if (url) url.password = PASSWORD; // trust auth ignores it; it must still never be shown
        writeEnv(p.root, `TOGGL_API_TOKEN=${TOKEN}\nPG_PASS=${PASSWORD}\n${url ? `DATABASE_URL=${url}\n` : ''}`);
        const csv = join(p.root, 'notes.csv');
        writeFileSync(csv, 'id,text\n1,hello\n');
        const ok = bronze(['ingest', 'manual', '--file', csv, '--id-field', 'id', '--verbose'], { ...env, LOG_LEVEL: 'debug' });
        expect(await ok.exit, ok.stderr()).toBe(0);
        const failing = bronze(['ingest', 'manual', '--file', join(p.root, 'absent.csv'), '--verbose'], env);
        expect(await failing.exit).toBe(1);
        const status = bronze(['status', '--json'], env);
        expect(await status.exit).toBe(0);
        const runs = bronze(['runs', '--json'], env);
        expect(await runs.exit).toBe(0);
        for (const r of [ok, failing, status, runs]) {
          const all = r.stdout() + r.stderr();
          expect(all).not.toContain(TOKEN);
          expect(all).not.toContain(PASSWORD);
        }
        if (url) {
          const down = new URL(url);
          down.port = '1';
          writeEnv(p.root, `DATABASE_URL=${down}\n`);
          const unreachable = bronze(['ingest', 'manual', '--file', csv], env);
          expect(await unreachable.exit).toBe(1);
          expect(unreachable.stderr()).toMatch(/cannot connect to PostgreSQL/);
          expect(unreachable.stderr()).not.toContain(PASSWORD);
        }
        const db = await p.open();
        try {
          const dump = await db.withSession((s) =>
            s.query<{ t: string }>(`SELECT (SELECT coalesce(jsonb_agg(r), '[]') FROM bronze_runs r)::text || (SELECT coalesce(jsonb_agg(b), '[]') FROM bronze_manual b)::text AS t`));
          expect(dump[0].t).toContain('hello');
          expect(dump[0].t).not.toContain(TOKEN);
          expect(dump[0].t).not.toContain(PASSWORD);
        } finally {
          await db.close();
        }
      } finally {
        await p.drop();
      }
    }, 300_000);
  });
}
