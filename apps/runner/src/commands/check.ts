import { ConfigError, configureSource, createLogger, createSourceContext, ExitCode, loadEnv, projectRoot, type CliIo } from '@bronze/core';
import { findSource, parseFlags } from './shared.js';

export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseFlags(argv, {});
  const source = findSource(positionals[0]);
  if (!source.check) throw new ConfigError(`source '${source.name}' has no credentials to check (it imports files)`);
  const root = projectRoot();
  loadEnv(root);
  const config = configureSource(source, process.env, {});
  const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });
  const ctx = createSourceContext(source, config, { logger, signal: AbortSignal.timeout(60_000), root, env: process.env });
  const line = await source.check(config as never, ctx);
  io.out(`${source.name}: ok — ${line}`);
  return ExitCode.ok;
}
