import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEngines } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import { runBronze } from './cli-helpers.js';
import { project } from './process-helpers.js';

for (const engine of testEngines()) {
  describe(`bronze runs shows the notes of each run [${engine}]`, () => {
    it('the note of the summary line is in runs --json and in the runs table, after the run ended', async () => {
      const p = await project(engine);
      try {
        writeFileSync(join(p.root, 'weights.csv'), 'id,date,kg\n1,2024-03-01,70.2\n2,2024-03-02,70.0\n');
        const run = await runBronze(['ingest', 'manual', '--id-field', 'id', '--file', join(p.root, 'weights.csv')], p.env);
        expect(run.code, run.stderr).toBe(0);
        // manual notes which field became source_timestamp
        expect(run.stdout).toContain('; weights.csv: source_timestamp from date (run ');

        const json = await runBronze(['runs', '--json'], p.env);
        expect(json.code, json.stderr).toBe(0);
        const runs = JSON.parse(json.stdout) as { source: string; status: string; notes: string[] }[];
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({ source: 'manual', status: 'succeeded', notes: ['weights.csv: source_timestamp from date'] });

        const table = await runBronze(['runs'], p.env);
        expect(table.code, table.stderr).toBe(0);
        const [header, , row] = table.stdout.trimEnd().split('\n');
        expect(header).toMatch(/\berror\s+notes$/);
        expect(row).toMatch(/ succeeded .* weights\.csv: source_timestamp from date$/);
      } finally {
        await p.drop();
      }
    }, 300_000);
  });
}
