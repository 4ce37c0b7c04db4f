import { errorMessage, ingest, lastRunStartedAt, redact, SourceLockedError, type IngestResult, type Logger } from '@bronze/core';
import { Cron } from 'croner';
import type { BronzeConfig, ConfiguredSource } from '../config/load-config.js';
import { expandConfiguredFiles } from './config-files.js';
import type { DatabaseHolder } from './database-holder.js';
import type { StreamCounts } from './health-status.js';
import type { Metrics } from './metrics.js';
import { recordRunMetrics } from './run-metrics.js';

export type RunResult = 'succeeded' | 'failed' | 'skipped_locked' | 'skipped_busy' | 'nothing_to_do';

export interface RunOutcome {
  source: string;
  result: RunResult;
  at: Date;
  runId?: string;
  error?: string;
  seconds?: number;
  /** Inbox entries the run could not read and skipped (path: reason). */
  skippedFiles?: string[];
}

export interface ScheduledSourceState {
  source: string;
  schedule: string;
  enabled: boolean;
  running: boolean;
  nextRun: Date | null;
  /** Seconds between the next two ticks: the yardstick for staleness. */
  intervalSeconds: number | null;
  lastOutcome: RunOutcome | null;
}

interface Job {
  configured: ConfiguredSource;
  cron: Cron;
  inFlight?: Promise<RunOutcome>;
  last: RunOutcome | null;
  skippedFiles?: string[];
}

/**
 * Runs the configured sources on their cron schedules, in this process, against one shared
 * database. One run per source at a time: a tick that finds the previous run still going
 * is skipped (not queued), and a run that finds the source locked by another process
 * (SourceLockedError, exit 75) is skipped too; the next tick tries again.
 */
export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(
    private readonly a: { config: BronzeConfig; database: DatabaseHolder; metrics: Metrics; logger: Logger; env: NodeJS.ProcessEnv; root: string; counts?: StreamCounts },
  ) {
    for (const configured of a.config.sources) {
      const enabled = configured.settings.enabled !== false;
      const cron = new Cron(configured.settings.schedule, { timezone: a.config.timezone, paused: true }, () => {
        void this.runNow(configured.name);
      });
      this.jobs.set(configured.name, { configured, cron, last: null });
      if (!enabled) a.logger.info(`source ${configured.name} is disabled in ${a.config.path}`);
    }
  }

  /**
   * Starts the clocks; with missedRuns: catch-up, runs once now each source that missed a
   * tick. The promise settles when those catch-up runs are done (the clocks run meanwhile).
   */
  start(): Promise<void> {
    for (const job of this.jobs.values()) if (job.configured.settings.enabled !== false) job.cron.resume();
    return this.a.config.missedRuns === 'catch-up' ? this.catchUp() : Promise.resolve();
  }

  /** Runs a source now unless a run of it is already going; never throws. */
  runNow(name: string): Promise<RunOutcome> {
    const job = this.jobs.get(name);
    if (!job) return Promise.reject(new Error(`source ${name} is not configured`));
    if (job.inFlight) {
      this.a.logger.warn(`${name}: previous run still going, skipping this tick`);
      this.a.metrics.runs.inc({ source: name, result: 'skipped_busy' });
      return Promise.resolve({ source: name, result: 'skipped_busy', at: new Date() });
    }
    if (this.stopped) return Promise.resolve({ source: name, result: 'nothing_to_do', at: new Date(), error: 'stopping' });
    // Whatever execute() does, the source never stays `running` and the tick never rejects.
    const run = this.execute(job)
      .catch((err: unknown): RunOutcome => {
        const error = redact(errorMessage(err));
        this.a.logger.error(`${name}: run failed: ${error}`);
        return { source: name, result: 'failed', at: new Date(), error };
      })
      .then((outcome) => {
        if (job.skippedFiles?.length) outcome.skippedFiles = job.skippedFiles;
        job.last = outcome;
        job.inFlight = undefined;
        return outcome;
      });
    job.inFlight = run;
    return run;
  }

  states(): ScheduledSourceState[] {
    return [...this.jobs.values()].map((j) => {
      const [next, after] = j.cron.nextRuns(2);
      return {
        source: j.configured.name,
        schedule: j.configured.settings.schedule,
        enabled: j.configured.settings.enabled !== false,
        running: Boolean(j.inFlight),
        nextRun: j.configured.settings.enabled === false ? null : (next ?? null),
        intervalSeconds: next && after ? (after.getTime() - next.getTime()) / 1000 : null,
        lastOutcome: j.last,
      };
    });
  }

  anyRunning(): boolean {
    return [...this.jobs.values()].some((j) => j.inFlight);
  }

  /** Stops the clocks, asks runs in flight to stop after their current batch, waits for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) job.cron.stop();
    this.abort.abort(new Error('bronze serve is shutting down'));
    await Promise.allSettled([...this.jobs.values()].map((j) => j.inFlight));
  }

  private async execute(job: Job): Promise<RunOutcome> {
    const { name, source, settings } = job.configured;
    const { metrics, logger } = this.a;
    const at = new Date();
    let files: string[] | undefined;
    job.skippedFiles = undefined;
    try {
      const expanded = settings.files ? expandConfiguredFiles(settings.files, this.a.root) : undefined;
      job.skippedFiles = expanded?.skipped.map((s) => `${s.path}: ${s.reason}`);
      for (const s of job.skippedFiles ?? []) logger.warn(`${name}: skipping ${s}`);
      files = expanded?.files;
    } catch (err) {
      const error = redact(errorMessage(err));
      logger.error(`${name}: cannot list its files: ${error}`);
      metrics.runs.inc({ source: name, result: 'failed' });
      metrics.failures.inc({ source: name });
      return { source: name, result: 'failed', at, error };
    }
    if (files && !files.length && !source.baseUrl) {
      logger.info(`${name}: no files in ${settings.files!.join(', ')}, nothing to import`);
      metrics.runs.inc({ source: name, result: 'nothing_to_do' });
      return { source: name, result: 'nothing_to_do', at };
    }
    metrics.running.set({ source: name }, 1);
    const endTimer = metrics.runDuration.startTimer({ source: name });
    let result: IngestResult | undefined;
    try {
      const db = await this.a.database.get();
      logger.info(`${name}: scheduled run starting`);
      result = await ingest(db, source, {
        files: files?.length ? files : undefined,
        streams: settings.streams,
        options: settings.options,
        batchSize: settings.batchSize,
        env: this.a.env,
        root: this.a.root,
        logger,
        signal: this.abort.signal,
        onHttpResponse: (status: number) => metrics.apiRequests.inc({ source: name, status: String(status) }),
        onHttpWait: (ms: number, reason: string) => {
          const kind = reason === 'rate budget' ? 'budget' : 'retry';
          metrics.rateLimitWaits.inc({ source: name, kind });
          metrics.rateLimitWaitSeconds.inc({ source: name, kind }, ms / 1000);
        },
      });
      endTimer({ status: result.status });
      await recordRunMetrics(db, metrics, name, result).catch((err) => logger.warn(`${name}: could not read the run's counts: ${errorMessage(err)}`));
      await this.a.counts?.refresh(db);
      const outcome: RunOutcome = { source: name, result: result.status, at, runId: result.runId, seconds: result.seconds };
      if (result.status === 'failed') {
        outcome.error = redact(result.errors.join('; '));
        metrics.failures.inc({ source: name });
        logger.error(`${name}: run ${result.runId} failed: ${outcome.error}`);
      } else {
        // The notes say when a run that succeeded stopped early (a quota: run again after …); also in bronze_runs.notes.
        const notes = result.notes.length ? `; ${result.notes.join('; ')}` : '';
        logger.info(`${name}: run ${result.runId} succeeded: ${result.seen} seen, ${result.inserted} inserted, ${result.invalid} invalid${notes}`);
      }
      metrics.runs.inc({ source: name, result: result.status });
      return outcome;
    } catch (err) {
      const message = redact(errorMessage(err));
      if (err instanceof SourceLockedError) {
        endTimer({ status: 'skipped' });
        logger.warn(`${name}: skipping this tick: ${message}`);
        metrics.runs.inc({ source: name, result: 'skipped_locked' });
        return { source: name, result: 'skipped_locked', at, error: message };
      }
      endTimer({ status: 'failed' });
      logger.error(`${name}: run failed: ${message}`);
      metrics.runs.inc({ source: name, result: 'failed' });
      metrics.failures.inc({ source: name });
      return { source: name, result: 'failed', at, error: message };
    } finally {
      metrics.running.set({ source: name }, 0);
    }
  }

  /**
   * The missed-run policy "catch-up": ticks that passed while the process was down are not
   * replayed one by one; a source whose last run started before its latest scheduled time
   * (or that never ran) runs once, as soon as the database is reachable.
   */
  private async catchUp(): Promise<void> {
    let db;
    while (!this.stopped) {
      try {
        db = await this.a.database.get();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 5000).unref());
      }
    }
    if (!db || this.stopped) return;
    for (const job of this.jobs.values()) {
      if (job.configured.settings.enabled === false || job.inFlight || this.stopped) continue;
      const [due] = job.cron.previousRuns(1);
      if (!due) continue;
      const name = job.configured.source.name;
      const last = await db.withSession((s) => lastRunStartedAt(s, name)).catch(() => null);
      if (last && last >= due) continue;
      this.a.logger.info(`${job.configured.name}: missed its run of ${due.toISOString()}; running once now (missedRuns: catch-up)`);
      await this.runNow(job.configured.name);
    }
  }
}
