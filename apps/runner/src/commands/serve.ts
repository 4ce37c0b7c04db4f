import { resolve } from 'node:path';
import { ConfigError, createLogger, ExitCode, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { credentialProblems, loadConfig } from '../config/load-config.js';
import { startServe } from '../serve/serve.js';
import { sources } from '../sources.js';
import { parseFlags } from './shared.js';
import { abortOnSignals } from './stop-signals.js';

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port ${JSON.stringify(value)} is not a port number (0-65535)`);
  return port;
}

/**
 * `bronze serve`: the scheduler plus /health and /metrics. `bronze schedule`: the scheduler
 * alone, in the foreground (for a machine where nothing should listen). Both stop on
 * SIGTERM/SIGINT after the batch in flight is committed, also during the start-up; a second
 * signal (not a copy of the first Ctrl-C: see stop-signals.ts) exits at once.
 */
export function serveCommand(withHttp: boolean) {
  return async (argv: string[], io: CliIo, settings: Settings): Promise<number> => {
    const { values } = parseFlags(argv, withHttp ? { host: { type: 'string' }, port: { type: 'string' }, config: { type: 'string' } } : { config: { type: 'string' } });
    const config = loadConfig(Object.values(sources), { path: values.config && resolve(settings.invocationDir, values.config), settings });
    const logger = createLogger({ level: values.verbose ? 'debug' : settings.logLevel });
    // Before the start-up: a signal while the embedded database opens (seconds) must stop
    // the process cleanly, and one right after the ready line must never find it unguarded.
    const signals = abortOnSignals(logger, 'the batches in flight');
    try {
      const handle = await startServe({ config, settings, http: withHttp, host: values.host, port: parsePort(values.port), logger, signal: signals.signal });
      if (!signals.signal.aborted) {
        const scheduled = config.sources.filter((c) => c.settings.enabled !== false).map((c) => `${c.name} (${c.settings.schedule})`);
        // Not fatal: under a supervisor that restarts on exit, a loop helps nobody; /health shows the failed runs.
        for (const problem of credentialProblems(config, settings.env)) logger.error(`${problem} (its scheduled runs will fail until this is fixed)`);
        if (!config.path) logger.warn('no bronze.config.yaml: nothing is scheduled (see apps/runner/README.md)');
        io.out(`bronze ${withHttp ? 'serve' : 'schedule'}: ${handle.http ? `listening on ${handle.http.url} (/health, /metrics); ` : ''}` +
          `${scheduled.length ? `scheduled: ${scheduled.join(', ')}` : 'no source scheduled'}`);
        await new Promise<void>((resolve) => signals.signal.addEventListener('abort', () => resolve(), { once: true }));
      }
      await handle.stop().catch((err: unknown) => logger.error(`while stopping: ${(err as Error).message}`));
    } finally {
      signals.dispose();
    }
    io.out(`bronze ${withHttp ? 'serve' : 'schedule'}: stopped`);
    return ExitCode.ok;
  };
}
