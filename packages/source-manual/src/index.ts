import { defineSource } from '@bronze/core';
import { ManualConfig, configureManual } from './config.js';
import { formatOf, readManualFile } from './read-file.js';
import { streamNameOf } from './stream-name.js';
import { fileRowsStream } from './streams/file-rows.js';
import { ACCEPTED_FILES } from './file-types.js';
import { workbookStreams } from './xlsx/sheet-streams.js';
import { odsStreams } from './ods/sheets-sync.js';

export { ManualConfig } from './config.js';
export { streamNameOf } from './stream-name.js';
export { parseInstant, readInstant, compileDateFormat } from './timestamp.js';
export { TIMESTAMP_FIELDS, chooseTimestampField } from './timestamp-field.js';
export type { ManualRow } from './streams/file-rows.js';

/** The seed's "manual" ingestion: a person's own hand-kept CSV, JSON, JSON Lines, .xlsx and .ods files. */
export default defineSource({
  name: 'manual',
  version: '0.1.0',
  description: 'hand-kept files: CSV (any delimiter, a preamble above the header), JSON (an array, or an object), JSON Lines; any encoding; Excel workbooks (.xlsx) and OpenDocument spreadsheets (.ods), a stream per sheet',
  config: ManualConfig,
  configure: configureManual,
  cliOptions: {
    stream: { type: 'string', description: 'stream name (default: the file name in snake_case; a workbook adds _<sheet name>)' },
    'id-field': { type: 'string', description: "field holding each row's id (default: id, else a hash of the row)" },
    'timestamp-field': { type: 'string', description: 'field holding the row date (default: detected, named in the summary)' },
    'date-format': { type: 'string', description: 'how dates are written: DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY, …' },
    encoding: { type: 'string', description: 'text encoding, e.g. windows-1252 (default: BOM, else UTF-8 if valid, else windows-1252)' },
    delimiter: { type: 'string', description: "CSV delimiter: , ; tab | (default: detected)" },
    'skip-lines': { type: 'string', description: 'CSV lines above the header, kept as the preamble (default: detected)' },
    'no-header': { type: 'boolean', description: 'the CSV files (and sheets) have no header row: every line is a row, keyed column_1, column_2… (default: the first line of the table names the columns, unless two or more of its fields read as dates or amounts)' },
    header: { type: 'boolean', description: "the first line of each CSV table names the columns, even when it reads like a record (dates, amounts)" },
    'records-path': { type: 'string', description: 'JSON Pointer of the array to split into records, e.g. /windows' },
  },
  streams(config, input) {
    // A workbook's streams are its sheets': named from its workbook.xml (.ods: content.xml), read here already.
    const streamsOf = (f: string) => {
      const format = formatOf(f);
      return format === 'xlsx' ? workbookStreams(f, config) : format === 'ods' ? odsStreams(f, config) : [config.stream ?? streamNameOf(f)];
    };
    const names = new Set((input?.files ?? []).flatMap(streamsOf));
    return [...names].map((name) => fileRowsStream(name, config));
  },
  files: {
    accepts: ACCEPTED_FILES,
    read: readManualFile,
  },
});
