import { ConfigError, ExitCode, migrate, planPrune, prune, type PrunePlan, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { findSource, parseFlags, withDatabase } from './shared.js';

/** `bronze db prune`: bronze never deletes by itself; this is the operator's explicit request. */
export async function dbPruneCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { values, positionals } = parseFlags(argv, { source: { type: 'string' }, before: { type: 'string' }, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' } });
  if (positionals.length || !values.source || !values.before) throw new ConfigError('usage: bronze db prune --source S --before YYYY-MM-DD (--dry-run | --yes)');
  if (values['dry-run'] && values.yes) throw new ConfigError('choose one of --dry-run and --yes');
  const source = findSource(values.source).name;
  return withDatabase(settings, async (db) => {
    const plan = await db.withSession(async (s) => {
      await migrate(s);
      return planPrune(s, source, values.before);
    });
    io.out(describe(plan, values.yes ? 'removing' : 'would remove'));
    if (!plan.partitions.length) return ExitCode.ok;
    if (values['dry-run']) return ExitCode.ok;
    if (!values.yes) throw new ConfigError('nothing removed: add --yes to drop these partitions (or --dry-run to only list them)');
    const done = await prune(db, source, values.before);
    io.out(`removed ${done.partitions.length} partition(s), ${done.rows} rows, ${formatBytes(done.bytes)}; logged as run ${done.runId}`);
    return ExitCode.ok;
  });
}

function describe(p: PrunePlan, verb: string): string {
  if (!p.partitions.length) return `${p.table}: no month partition ends before ${p.before}; nothing to remove`;
  const lines = p.partitions.map((x) => `  ${x.name}  ${x.month.slice(0, 7)}  ${x.rows} rows  ${formatBytes(x.bytes)}`);
  return [`${p.table}: ${verb} ${p.partitions.length} month partition(s) before ${p.before}: ${p.rows} rows, ${formatBytes(p.bytes)}`, ...lines].join('\n');
}

export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i ? v.toFixed(1) : v} ${units[i]}`;
}
