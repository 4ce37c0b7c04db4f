import { readFileSync } from 'node:fs';
import { openDatabase, type BronzeDatabase } from '@bronze/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localServerCpu, parseProcStat } from '../src/server-cpu.js';

describe('parseProcStat', () => {
  it('reads the fields after a command name that holds spaces and parentheses', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const line = '4242 (post (gres) x) S 17 4242 4242 0 -1 4194560 900 0 0 0 250 50 1200 300 20 0 1 0 100 1000 10';
    expect(parseProcStat(line)).toEqual({ ppid: 17, own: 300, reaped: 1500 });
    expect(parseProcStat('4242 (x) S')).toBeUndefined();
  });
});

/** CPU seconds of one process, from /proc (clock ticks of 1/100 s, as on Linux). */
const cpuOf = (pid: number) => {
  const s = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))!;
  return s.own / 100;
};

// The server's processes must be visible in /proc: the local PostgreSQL of TEST_DATABASE_URL.
describe.runIf(process.env.TEST_DATABASE_URL)('localServerCpu [postgres]', () => {
  let db: BronzeDatabase;
  beforeAll(async () => {
    db = await openDatabase({ url: process.env.TEST_DATABASE_URL! });
  });
  afterAll(() => db?.close());

  const busyBackend = async (keepOpen: (client: pg.Client, pid: number) => Promise<void>) => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await client.query('SELECT count(*) FROM generate_series(1, 5000000)');
    await keepOpen(client, rows[0].pid);
  };

  it("counts the server's backends, running and exited", async () => {
    const clock = (await localServerCpu(db))!;
    expect(clock).toBeTypeOf('function');
    // A running backend: the clock moves by at least that backend's own CPU.
    let running = 0;
    const before = clock();
    await busyBackend(async (client, pid) => {
      running = cpuOf(pid);
      expect(clock() - before).toBeGreaterThanOrEqual(running - 0.02);
      await client.end();
    });
    expect(running).toBeGreaterThan(0.1);
    // An exited backend: still counted, through the postmaster (its children's reaped time).
    const closedBefore = clock();
    let spent = 0;
    await busyBackend(async (client, pid) => {
      spent = cpuOf(pid);
      await client.end();
      for (let i = 0; i < 100 && (() => { try { readFileSync(`/proc/${pid}/stat`); return true; } catch { return false; } })(); i++) await new Promise((r) => setTimeout(r, 20));
    });
    expect(clock() - closedBefore).toBeGreaterThanOrEqual(spent - 0.02);
  });
});
