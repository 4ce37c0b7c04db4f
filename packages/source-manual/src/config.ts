import { ConfigError, Type, delimiterOf, encodingName, type Static } from '@bronze/core';
import { compileDateFormat } from './timestamp.js';

export const ManualConfig = Type.Object(
  {
    stream: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'stream name for every file of this run' })),
    idField: Type.Optional(Type.String({ minLength: 1, description: 'field holding each row\'s id' })),
    timestampField: Type.Optional(Type.String({ minLength: 1, description: 'field holding each row\'s date or instant' })),
    dateFormat: Type.Optional(Type.String({ minLength: 1, description: 'how dates are written, e.g. DD.MM.YYYY or MM/DD/YYYY' })),
    encoding: Type.Optional(Type.String({ minLength: 1, description: 'the files\' text encoding, e.g. windows-1252 (default: detected)' })),
    delimiter: Type.Optional(Type.String({ minLength: 1, maxLength: 1, description: 'CSV delimiter (default: detected among , ; tab |)' })),
    skipLines: Type.Optional(Type.Integer({ minimum: 0, description: 'CSV lines above the header, kept as the preamble (default: detected)' })),
    noHeader: Type.Optional(Type.Boolean({ description: 'true: the CSV files have no header row (columns keyed column_1, column_2…); false: the first line names the columns even when it reads like a record; unset: detected' })),
    recordsPath: Type.Optional(Type.String({ pattern: '^(/.*)?$', description: 'JSON Pointer of the array whose items are the records, e.g. /windows' })),
  },
  { additionalProperties: false },
);
export type ManualConfig = Static<typeof ManualConfig>;

function usage(fn: () => string): string {
  try {
    return fn();
  } catch (err) {
    throw err instanceof ConfigError ? err : new ConfigError((err as Error).message);
  }
}

/** CLI options → config; bad values are usage errors (exit 2) naming the flag and what to pass. */
export function configureManual(_env: NodeJS.ProcessEnv, options: Record<string, unknown>): ManualConfig {
  const config: ManualConfig = {};
  if (options.stream !== undefined) config.stream = String(options.stream);
  if (options.idField !== undefined) config.idField = String(options.idField);
  if (options.timestampField !== undefined) config.timestampField = String(options.timestampField);
  if (options.dateFormat !== undefined) config.dateFormat = usage(() => compileDateFormat(String(options.dateFormat)).pattern);
  if (options.encoding !== undefined) config.encoding = usage(() => encodingName(String(options.encoding)));
  if (options.delimiter !== undefined) config.delimiter = usage(() => delimiterOf(String(options.delimiter)));
  if (options.skipLines !== undefined) {
    const n = Number(options.skipLines);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`--skip-lines ${JSON.stringify(options.skipLines)} must be a whole number of lines (0 or more)`);
    config.skipLines = n;
  }
  if (options.noHeader !== undefined) config.noHeader = options.noHeader === true || options.noHeader === 'true';
  if (options.header === true || options.header === 'true') {
    if (config.noHeader) throw new ConfigError('--header and --no-header contradict each other: pass one');
    // The first line names the columns even when it reads like a record (recordNotHeader).
    config.noHeader = false;
  }
  if (options.recordsPath !== undefined) {
    const p = String(options.recordsPath);
    if (p !== '' && !p.startsWith('/')) throw new ConfigError(`--records-path ${JSON.stringify(p)} must be a JSON Pointer starting with '/', e.g. /windows or /data/items`);
    config.recordsPath = p;
  }
  return config;
}
