import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBronze } from './cli-helpers.js';
import { project } from './process-helpers.js';

const EXPORT = join(import.meta.dirname, '../../../packages/source-apple-health/test/fixtures/healthkit-to-sqlite_tests_export.xml');

describe('one name per source', () => {
  it('apple-health is what sources, ingest, status and runs print; apple_health is only its table', async () => {
    const p = await project('pglite');
    const listed = await runBronze(['sources'], p.env);
    expect(listed.stdout).toMatch(/^apple-health {2}/m);
    expect(listed.stdout).not.toContain('apple_health');

    const run = await runBronze(['ingest', 'apple_health', '--file', EXPORT], p.env); // the table spelling is accepted as input
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^apple-health: succeeded/);
    expect(run.stderr).toMatch(/run \S+ of apple-health started/);

    const status = await runBronze(['status', '--json'], p.env);
    const sources = new Set((JSON.parse(status.stdout) as { streams: { source: string }[] }).streams.map((s) => s.source));
    expect([...sources].sort()).toEqual(['apple-health', 'garmin', 'github', 'google-takeout', 'manual', 'spotify', 'strava', 'toggl']);

    const runs = await runBronze(['runs', '--source', 'apple-health', '--json'], p.env);
    expect((JSON.parse(runs.stdout) as { source: string }[]).map((r) => r.source)).toEqual(['apple-health']);
    const table = await runBronze(['sql', "SELECT count(*) > 0 AS stored FROM bronze_apple_health"], p.env);
    expect(table.stdout).toContain('true');
  }, 600_000);
});
