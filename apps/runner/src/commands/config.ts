import { resolve } from 'node:path';
import { ConfigError, ExitCode, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { Cron } from 'croner';
import { credentialProblems, loadConfig } from '../config/load-config.js';
import { configSchema } from '../config/schema.js';
import { sources } from '../sources.js';
import { parseFlags } from './shared.js';

const USAGE = `usage: bronze config validate [--config PATH]   check bronze.config.yaml (or BRONZE_CONFIG)
       bronze config schema                      print the file's JSON Schema`;

export async function configCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { positionals, values } = parseFlags(argv, { config: { type: 'string' } });
  const all = Object.values(sources);
  if (positionals[0] === 'schema') {
    io.out(JSON.stringify(configSchema(all), null, 2));
    return ExitCode.ok;
  }
  if (positionals[0] !== 'validate') throw new ConfigError(USAGE);
  const config = loadConfig(all, { path: values.config && resolve(settings.invocationDir, values.config), settings });
  if (!config.path) {
    io.out('no bronze.config.yaml (and BRONZE_CONFIG is not set): nothing is scheduled');
    return ExitCode.ok;
  }
  const problems = credentialProblems(config, settings.env);
  if (problems.length) throw new ConfigError(`${config.path}: the file is valid, but these sources cannot run with this environment:\n  ${problems.join('\n  ')}`);
  io.out(`${config.path}: ok — ${config.sources.length} source(s)${config.timezone ? `, times in ${config.timezone}` : ''}, missed runs: ${config.missedRuns}`);
  for (const c of config.sources) {
    const next = new Cron(c.settings.schedule, { paused: true, timezone: config.timezone }).nextRun();
    const state = c.settings.enabled === false ? 'disabled' : `next run ${next?.toISOString() ?? 'never'}`;
    io.out(`  ${c.name}: "${c.settings.schedule}" (${state})`);
  }
  return ExitCode.ok;
}
