import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { cliName, ConfigError, configureSource, type Settings, type Source } from '@bronze/core';
import type { TSchema } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { Cron } from 'croner';
import { parseDocument } from 'yaml';
import { configSchema, type BronzeConfigFile, type SourceSettings } from './schema.js';

export type MissedRunPolicy = 'catch-up' | 'skip';

export interface ConfiguredSource {
  /** CLI name, the key in the file (e.g. apple-health). */
  name: string;
  source: Source;
  settings: SourceSettings;
}

export interface BronzeConfig {
  /** The file read, or undefined when there is none (nothing is scheduled then). */
  path: string | undefined;
  timezone?: string;
  missedRuns: MissedRunPolicy;
  serve: { host?: string; port?: number };
  sources: ConfiguredSource[];
}

/** BRONZE_CONFIG (relative to the project root), else <project root>/bronze.config.yaml. */
export function configPath({ root, env }: Pick<Settings, 'root' | 'env'>): { path: string; explicit: boolean } {
  const given = env.BRONZE_CONFIG?.trim();
  if (given) return { path: isAbsolute(given) ? given : resolve(root, given), explicit: true };
  return { path: join(root, 'bronze.config.yaml'), explicit: false };
}

/** Reads and validates the configuration; a missing default file is an empty configuration. */
export function loadConfig(sources: Source[], o: { path?: string; settings: Pick<Settings, 'root' | 'env'> }): BronzeConfig {
  const located = o.path ? { path: resolve(o.path), explicit: true } : configPath(o.settings);
  if (!existsSync(located.path)) {
    if (located.explicit) throw new ConfigError(`configuration file ${located.path} does not exist`);
    return { path: undefined, missedRuns: 'catch-up', serve: {}, sources: [] };
  }
  let text: string;
  try {
    text = readFileSync(located.path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${located.path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseConfig(text, located.path, sources, o.settings.env);
}

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

const keyPath = (pointer: string) => pointer.replace(/^\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '(top level)';

/** Validates the text of a configuration file; every problem names its key path. */
export function parseConfig(text: string, path: string, sources: Source[], env: Settings['env'] = {}): BronzeConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const lines = doc.errors.map((e) => {
      const at = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : '';
      return `${at}${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
    });
    throw new ConfigError(lines.length === 1 ? `${path}: ${lines[0]}` : `${path} is not valid YAML:\n  ${lines.join('\n  ')}`);
  }
  const value = doc.toJS() ?? {};
  const problems = validateConfig(value, sources, env);
  if (problems.length) throw new ConfigError(`${path} is invalid:\n  ${problems.join('\n  ')}`);
  const file = value as BronzeConfigFile;
  const byName = new Map(sources.map((s) => [cliName(s), s]));
  return {
    path,
    timezone: file.timezone,
    missedRuns: file.missedRuns ?? 'catch-up',
    serve: file.serve ?? {},
    sources: Object.entries(file.sources).map(([name, settings]) => ({ name, source: byName.get(name)!, settings })),
  };
}

/** A schema error in words: a union of literals lists the allowed values (TypeBox says only "expected union value"). */
function describeError(e: ValueError): string {
  const allowed = (e.schema.anyOf as TSchema[] | undefined)?.map((s) => s.const);
  if (allowed?.length && allowed.every((v) => v !== undefined)) return `expected one of ${allowed.map(show).join(', ')}, got ${show(e.value)}`;
  const message = e.message.charAt(0).toLowerCase() + e.message.slice(1);
  return `${message}${e.message === 'Unexpected property' ? '' : `, got ${show(e.value)}`}`;
}

/**
 * Every problem of a parsed configuration, in one round, as "key.path: what was expected":
 * unknown sources, schema errors, unknown stream names, cron syntax and time zones.
 */
export function validateConfig(value: unknown, sources: Source[], env: Settings['env'] = {}): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`(top level): expected a mapping with a "sources" key, got ${show(value)}`];
  }
  const known = sources.map((s) => cliName(s));
  const problems: string[] = [];
  const declared = (value as { sources?: unknown }).sources;
  if (declared && typeof declared === 'object' && !Array.isArray(declared)) {
    for (const name of Object.keys(declared)) {
      if (!known.includes(name)) problems.push(`sources.${name}: unknown source '${name}' (known: ${known.join(', ')})`);
    }
  }
  const schema = configSchema(sources);
  const reported = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    const key = keyPath(e.path);
    if (problems.some((p) => key.startsWith(p.split(':')[0])) || reported.has(key)) continue; // already reported
    reported.add(key);
    problems.push(`${key}: ${describeError(e)}`);
    if (problems.length >= 50) break;
  }
  return [...problems, ...semanticProblems(value as Partial<BronzeConfigFile>, sources, env, reported)];
}

/** The stream names of a source, whatever its credentials; [] when they depend on the files (manual). */
export function streamNames(source: Source, env: Settings['env'] = {}): string[] {
  for (const config of [() => configureSource(source, env, {}), () => ({})]) {
    try {
      return source.streams(config() as never).map((s) => s.name);
    } catch {
      // no credentials: try the stream list without a configuration
    }
  }
  return [];
}

/** What the schema cannot say: cron syntax, time zone names, stream names, files for file-only sources. */
function semanticProblems(file: Partial<BronzeConfigFile>, sources: Source[], env: Settings['env'], reported: Set<string>): string[] {
  const problems: string[] = [];
  let timezone = typeof file.timezone === 'string' ? file.timezone : undefined;
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      timezone = undefined;
      problems.push(`timezone: ${show(file.timezone)} is not an IANA time zone (e.g. Europe/Berlin, UTC)`);
    }
  }
  const entries = file.sources && typeof file.sources === 'object' ? Object.entries(file.sources) : [];
  for (const [name, settings] of entries) {
    const source = sources.find((s) => cliName(s) === name);
    if (!source || !settings || typeof settings !== 'object') continue;
    if (typeof settings.schedule === 'string' && !reported.has(`sources.${name}.schedule`)) {
      try {
        new Cron(settings.schedule, { paused: true, timezone }).stop();
      } catch (err) {
        problems.push(`sources.${name}.schedule: ${show(settings.schedule)} is not a valid cron expression (${(err as Error).message})`);
      }
    }
    const streams = streamNames(source, env);
    if (Array.isArray(settings.streams) && streams.length) {
      settings.streams.forEach((s, i) => {
        if (typeof s === 'string' && !streams.includes(s)) problems.push(`sources.${name}.streams.${i}: unknown stream '${s}' of ${name} (streams: ${streams.join(', ')})`);
      });
    }
    if (source.files && !source.baseUrl && !settings.files) {
      problems.push(`sources.${name}.files: required: ${name} imports files and reads no API, so name the files or directories to import`);
    }
  }
  return problems;
}

/**
 * What only the environment can tell: each enabled source's configuration (credentials from
 * .env plus the file's options) as the source itself checks it. Empty when all is well.
 */
export function credentialProblems(config: BronzeConfig, env: Settings['env']): string[] {
  const problems: string[] = [];
  for (const { name, source, settings } of config.sources) {
    if (settings.enabled === false) continue;
    try {
      configureSource(source, env, settings.options ?? {});
    } catch (err) {
      problems.push(`sources.${name}: ${(err as Error).message}`);
    }
  }
  return problems;
}
