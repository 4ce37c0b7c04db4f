import { access, constants, mkdir } from 'node:fs/promises';
import { errorMessage, redact } from '@bronze/core';
import type { DatabaseHolder } from './database-holder.js';
import { readRunFacts, type RunFacts, type StreamCounts } from './health-status.js';
import type { Metrics } from './metrics.js';
import type { Scheduler, ScheduledSourceState } from './scheduler.js';

export interface HealthDeps {
  database: DatabaseHolder;
  counts: StreamCounts;
  scheduler: Scheduler;
  metrics: Metrics;
  /** settings' dataDirectory(): checked for being writable. */
  dataDir: string;
  /** How long a database check may take before the database counts as unreachable. */
  timeoutMs?: number;
}

export interface HealthReport {
  status: 'ok' | 'unhealthy';
  reasons: string[];
  checked_at: string;
  database: { reachable: boolean; engine?: string; location?: string; busy?: boolean; error?: string };
  data_directory: { path: string; writable: boolean; error?: string };
  sources: SourceHealth[];
}

interface SourceHealth {
  source: string;
  schedule: string | null;
  enabled: boolean;
  running: boolean;
  next_run: string | null;
  last_run: { status: string | null; started_at: string | null };
  last_success_at: string | null;
  freshness_seconds: number | null;
  /** Last success older than two schedule intervals (plus a minute); null when unknown. */
  stale: boolean | null;
  last_outcome: ScheduledSourceState['lastOutcome'];
  /** When the stream counts below were taken (they are counted after each run, not per request). */
  rows_counted_at: string | null;
  streams: { stream: string; rows: number; invalid: number; last_ingested_at: string | null }[];
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]);
}

async function checkDataDirectory(path: string): Promise<HealthReport['data_directory']> {
  try {
    await mkdir(path, { recursive: true });
    await access(path, constants.W_OK);
    return { path, writable: true };
  } catch (err) {
    return { path, writable: false, error: (err as NodeJS.ErrnoException).code ?? errorMessage(err) };
  }
}

export function createHealthCheck(deps: HealthDeps) {
  let lastFacts: RunFacts[] = [];

  /** Reachability and run facts on the probe connection: cheap, never queued behind runs. */
  async function readStatus(): Promise<{ facts: RunFacts[]; database: HealthReport['database'] }> {
    const timeoutMs = deps.timeoutMs ?? 5000;
    try {
      const db = await withTimeout(deps.database.get(), timeoutMs, 'the database');
      try {
        lastFacts = await withTimeout(readRunFacts(db), timeoutMs, 'the database');
      } catch (err) {
        // PGlite has one connection, which a run may hold in a transaction: not an outage.
        if (db.engine === 'pglite' && deps.scheduler.anyRunning()) return { facts: lastFacts, database: { reachable: true, engine: db.engine, location: db.location, busy: true } };
        throw err;
      }
      deps.counts.refreshIfOld(db);
      return { facts: lastFacts, database: { reachable: true, engine: db.engine, location: db.location } };
    } catch (err) {
      const db = deps.database.current();
      return { facts: [], database: { reachable: false, engine: db?.engine, location: db?.location, error: redact(errorMessage(err)) } };
    }
  }

  return async function health(): Promise<HealthReport> {
    const [{ facts, database }, dataDir] = await Promise.all([readStatus(), checkDataDirectory(deps.dataDir)]);
    const counts = deps.counts.current();
    const countedAt = iso(deps.counts.countedAt);
    deps.metrics.databaseUp.set(database.reachable ? 1 : 0);
    const reasons: string[] = [];
    if (!database.reachable) reasons.push(`database unreachable: ${database.error}`);
    if (!dataDir.writable) reasons.push(`data directory ${dataDir.path} is not writable (${dataDir.error})`);
    const states = new Map(deps.scheduler.states().map((s) => [s.source, s]));
    const dashed = (source: string) => source.replace(/_/g, '-');
    const names = [...new Set([...states.keys(), ...facts.filter((f) => f.last_run_at).map((f) => dashed(f.source)), ...counts.map((c) => dashed(c.source))])];
    const sources = names.map((name): SourceHealth => {
      const state = states.get(name);
      const streams = counts.filter((c) => dashed(c.source) === name);
      const first = facts.find((f) => dashed(f.source) === name);
      for (const s of streams) deps.metrics.streamRows.set({ source: name, stream: s.stream }, s.rows);
      if (first?.last_success_at) deps.metrics.lastSuccess.set({ source: name }, first.last_success_at.getTime() / 1000);
      const freshness = first?.last_success_at ? Math.round((Date.now() - first.last_success_at.getTime()) / 1000) : null;
      return {
        source: name,
        schedule: state?.schedule ?? null,
        enabled: state?.enabled ?? false,
        running: state?.running ?? false,
        next_run: iso(state?.nextRun),
        last_run: { status: first?.last_run_status ?? null, started_at: iso(first?.last_run_at) },
        last_success_at: iso(first?.last_success_at),
        freshness_seconds: freshness,
        stale: freshness === null || !state?.enabled || !state.intervalSeconds ? null : freshness > 2 * state.intervalSeconds + 60,
        last_outcome: state?.lastOutcome ?? null,
        rows_counted_at: countedAt,
        streams: streams.map((s) => ({ stream: s.stream, rows: s.rows, invalid: s.invalid, last_ingested_at: iso(s.last_ingested_at) })),
      };
    });
    return { status: reasons.length ? 'unhealthy' : 'ok', reasons, checked_at: new Date().toISOString(), database, data_directory: dataDir, sources };
  };
}
