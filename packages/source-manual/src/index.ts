import { defineSource } from '@bronze/core';
import { ManualConfig, configureManual } from './config.js';
import { readManualFile } from './read-file.js';
import { streamNameOf } from './stream-name.js';
import { fileRowsStream } from './streams/file-rows.js';

export { ManualConfig } from './config.js';
export { streamNameOf } from './stream-name.js';
export { parseInstant, TIMESTAMP_FIELDS } from './timestamp.js';
export type { ManualRow } from './streams/file-rows.js';

/** The seed's "manual" ingestion: a person's own hand-kept CSV, JSON and JSON Lines files. */
export default defineSource({
  name: 'manual',
  version: '0.1.0',
  description: "hand-kept files: CSV (header row), JSON (an array of objects, or an object holding one), JSON Lines",
  config: ManualConfig,
  configure: configureManual,
  cliOptions: {
    stream: { type: 'string', description: 'stream name (default: the file name in snake_case)' },
    'id-field': { type: 'string', description: "field holding each row's id (default: id, else a hash of the row)" },
    'timestamp-field': { type: 'string', description: 'field holding the row date (default: first of timestamp|datetime|date|time|ts)' },
  },
  streams(config, input) {
    const names = new Set((input?.files ?? []).map((f) => config.stream ?? streamNameOf(f)));
    return [...names].map((name) => fileRowsStream(name, config));
  },
  files: {
    accepts: '.csv, .json, .jsonl, .ndjson (optionally gzipped)',
    read: readManualFile,
  },
});
