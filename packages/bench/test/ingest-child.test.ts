import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runIngest } from '../src/run-ingest.js';

/** A public export.xml (dogsheep/healthkit-to-sqlite, Apache-2.0; see Apple Health's fixtures README). */
const EXPORT = join(import.meta.dirname, '../../source-apple-health/test/fixtures/healthkit-to-sqlite_tests_export.xml');

const dir = mkdtempSync(join(tmpdir(), 'bronze-ingest-child-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The bench's ingest child, on the built packages and the embedded database: the CPU it
// reports for the ingest leaves out its start-up and the database's opening, which the
// per-record figures of a small run would otherwise carry.
it("reports the ingest's CPU apart from the process's start-up", async () => {
  const elements = (readFileSync(EXPORT, 'utf8').match(/<(Record|Workout|ActivitySummary|Me|ExportDate)\b/g) ?? []).length;
  const env = { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: join(dir, 'db') };
  const child = await runIngest(env, [EXPORT], false);
  expect(elements).toBe(7);
  expect(child.result.inserted).toBe(elements);
  expect(child.cpuSeconds).toBeGreaterThan(0);
  // Node's start-up and opening the embedded database cost ~1.7 s of CPU here (0.3 s at least).
  expect(child.processCpuSeconds - child.cpuSeconds).toBeGreaterThan(0.3);
}, 120_000);
