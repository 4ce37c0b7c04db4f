import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linesWith, runBronze } from './cli-helpers.js';

const home = () => mkdtempSync(join(tmpdir(), 'bronze-cli-errors-'));

describe('bronze ingest: ranges, errors and configuration mistakes', () => {
  it('--until is exclusive: --help says so, and --since D --until D explains how to ask for one day', async () => {
    const help = await runBronze(['ingest', '--help'], { BRONZE_HOME: home() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--until DATE\s+read records before this date: exclusive/);
    const same = await runBronze(['ingest', 'toggl', '--since', '2024-03-01', '--until', '2024-03-01'], { BRONZE_HOME: home() });
    expect(same.code).toBe(2);
    expect(same.stderr.trim()).toBe('error: --until is exclusive (records before that instant) and must be after --since, so this range is empty; for the single day 2024-03-01 use --until 2024-03-02');
  });

  it('a file that fails prints its error once: one error: line, no log line repeating it', async () => {
    const root = home();
    const broken = join(root, 'broken.json');
    writeFileSync(broken, '[{"id": 1, "v": 2}, {"id": 2, "v": ');
    const r = await runBronze(['ingest', 'manual', '--file', broken], { BRONZE_HOME: root });
    expect(r.code, r.stderr).toBe(1);
    const mentions = linesWith(r.stderr, `${broken}:`);
    expect(mentions, r.stderr).toHaveLength(1);
    expect(mentions[0]).toMatch(/^error: /);
  });

  it('LOG_LEVEL=loud is a configuration error naming the allowed levels', async () => {
    const r = await runBronze(['status'], { BRONZE_HOME: home(), LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: LOG_LEVEL=loud is not a log level (allowed: error, warn, info, http, verbose, debug, silly)');
  });

  it('BRONZE_HEAP_GROWTH that is not a percentage is a one-line warning, and the command runs', async () => {
    const r = await runBronze(['ingest', '--help'], { BRONZE_HOME: home(), BRONZE_HEAP_GROWTH: 'lots' });
    expect(r.code).toBe(0);
    expect(linesWith(r.stderr, 'BRONZE_HEAP_GROWTH')).toEqual(['warning: BRONZE_HEAP_GROWTH=lots: not "default" nor a whole percentage from 1 to 1000; using 50']);
  });

  it('BRONZE_READ_WORKER other than on, off or auto (here from .env) is a configuration error before a run starts', async () => {
    const root = home();
    writeFileSync(join(root, '.env'), 'BRONZE_READ_WORKER=yes\n');
    const r = await runBronze(['ingest', 'manual', '--file', join(import.meta.dirname, 'fixtures', 'weights.csv')], { BRONZE_HOME: root });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: BRONZE_READ_WORKER=yes: use on, off or auto');
    const runs = await runBronze(['runs', '--json'], { BRONZE_HOME: root, BRONZE_READ_WORKER: 'off' });
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  it('a .env with garbage lines is an error naming the file and the lines', async () => {
    const root = home();
    writeFileSync(join(root, '.env'), '# settings\nLOG_LEVEL=info\nthis is not a setting\nMULTI="a\nb"\n\nexport OK=1\nPG_HOST\n');
    const r = await runBronze(['status'], { BRONZE_HOME: root, LOG_LEVEL: '' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`error: ${join(root, '.env')}: lines 3, 8 are not KEY=VALUE (nor a # comment)`);
  });

  it('BRONZE_DATA_DIR where no folder can be made fails at once, naming the path and the errno', async () => {
    // mkdir -p under /proc loops forever in Node (ENOENT for a parent that exists).
    const r = await runBronze(['ingest', 'manual', '--file', join(import.meta.dirname, 'fixtures', 'weights.csv')], { BRONZE_HOME: home(), BRONZE_DATA_DIR: '/proc/bronze-data' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: cannot create the embedded database folder /proc/bronze-data (BRONZE_DATA_DIR): ENOENT');
    const file = join(home(), 'a-file');
    writeFileSync(file, '');
    const under = await runBronze(['db', 'migrate'], { BRONZE_HOME: home(), BRONZE_DATA_DIR: join(file, 'db') });
    expect(under.stderr.trim()).toBe(`error: cannot create the embedded database folder ${join(file, 'db')} (BRONZE_DATA_DIR): ENOTDIR`);
  });

  it('SIGTERM while the database is still opening ends the process', async () => {
    // A "server" that accepts the connection and never answers: the open waits.
    const sockets: Socket[] = [];
    let connected!: () => void;
    const accepted = new Promise<void>((r) => (connected = r));
    const server = createServer((s) => {
      sockets.push(s);
      connected();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const root = home();
      const run = runBronze(['ingest', 'manual', '--file', join(import.meta.dirname, 'fixtures', 'weights.csv')], { BRONZE_HOME: root, DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/db` });
      await accepted;
      run.kill('SIGTERM');
      const r = await run;
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error: interrupted while opening the database (interrupted by SIGTERM)');
      expect(existsSync(join(root, 'data'))).toBe(false);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
