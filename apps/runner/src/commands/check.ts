import { cliName, ConfigError, configureSource, createLogger, createSourceContext, ExitCode, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { findSource, parseFlags } from './shared.js';

export async function checkCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { positionals, values } = parseFlags(argv, {});
  const source = findSource(positionals[0]);
  if (!source.check) throw new ConfigError(`source '${source.name}' has no credentials to check (it imports files)`);
  const config = configureSource(source, settings.env, {});
  const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });
  const ctx = createSourceContext(source, config, { logger, signal: AbortSignal.timeout(60_000), root: settings.root, env: settings.env });
  const line = await source.check(config as never, ctx);
  io.out(`${cliName(source)}: ok — ${line}`);
  return ExitCode.ok;
}
