import type { Readable } from 'node:stream';
import { emit, type Emitted } from '@bronze/core';
import { decodeUtf8, readWhole } from './read-bytes.js';

/** One ECG recording: the CSV's `key,value` header lines and its voltage samples, all as written. */
export interface Electrocardiogram {
  /** Path inside the export, e.g. `electrocardiograms/ecg_2023-07-04.csv`. */
  file: string;
  /** `Name`, `Date of Birth`, `Recorded Date`, `Classification`, `Symptoms`, `Software Version`, `Device`, `Sample Rate`, `Lead`, `Unit`, … */
  header: Record<string, string | string[]>;
  /** One per sample line, e.g. `-65.732` (the unit is header.Unit, µV). */
  samples: string[];
}

/** The fields of one CSV line (RFC 4180 quoting: `"Watch5,1"`, `""` for a quote). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * A voltage line: `-65.732`, or `-265,868` from phones whose locale writes a decimal comma
 * (pt, de, fr…: Apple writes it unquoted, so a CSV reader would see two fields and the
 * samples would become header keys, their order lost). A comma counts only between digits:
 * `12,` and `,5` stay header lines.
 */
const SAMPLE = /^[+-]?(\d+\.?\d*|\.\d+|\d+,\d+)([eE][+-]?\d+)?$/;

/**
 * An Apple Watch ECG export (`electrocardiograms/ecg_2023-07-04.csv`): header lines
 * `Name,…`, `Recorded Date,2023-07-04 21:57:38 +0800`, `Sample Rate,513.625 hertz`,
 * `Lead,Lead I`, `Unit,µV`, blank lines, then one voltage per line (as written, decimal
 * comma or point). One record per file.
 * A header key seen twice keeps both values (an array) with a warning.
 */
export function parseEcgCsv(text: string, file: string): { record: Electrocardiogram; warnings: string[] } {
  const header: Record<string, string | string[]> = {};
  const samples: string[] = [];
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (SAMPLE.test(line)) {
      samples.push(line);
      continue;
    }
    const fields = csvFields(line);
    if (fields.every((f) => f === '')) continue; // blank separators (``, `,`)
    const [key, ...rest] = fields;
    const value = rest.length === 1 ? rest[0] : rest.join(',');
    if (samples.length) warnings.push(`${file} line ${n + 1}: a header line after the samples began (${JSON.stringify(line.slice(0, 80))})`);
    if (Object.hasOwn(header, key)) {
      const prior = header[key];
      header[key] = Array.isArray(prior) ? [...prior, value] : [prior, value];
      warnings.push(`${file} line ${n + 1}: header "${key}" repeated; all its values are kept as an array`);
    } else {
      Object.defineProperty(header, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return { record: { file, header, samples }, warnings };
}

export async function* readEcg(input: Readable, file: string, label: string, metadata: Record<string, unknown>): AsyncIterable<Emitted> {
  const { text, warning } = decodeUtf8(await readWhole(input, label), label);
  const { record, warnings } = parseEcgCsv(text, file);
  if (warning) warnings.unshift(warning);
  yield emit(record, { stream: 'electrocardiograms', metadata, ...(warnings.length ? { warning: warnings.join('; ') } : {}) });
}
