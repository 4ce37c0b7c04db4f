import type { ManualConfig } from './config.js';
import { compileDateFormat, type DateFormat } from './timestamp.js';

/** What the reader decided for the file being read, which the stream's timestamp() uses. */
export interface StreamChoice {
  field?: string;
  format?: DateFormat;
  /** The field holds Excel date serials (a workbook's date-styled cells): numbers count days in this date system. */
  serialDates?: '1900' | '1904';
}

/**
 * Per run (keyed by its config object, which core hands both to streams() and to the file
 * reader): the timestamp field chosen for the current file of each stream. Core converts
 * each record as soon as the reader yields it, so the choice made before a file's first
 * record holds for all of that file's records.
 */
const runs = new WeakMap<ManualConfig, Map<string, StreamChoice>>();

export function choicesOf(config: ManualConfig): Map<string, StreamChoice> {
  let m = runs.get(config);
  if (!m) runs.set(config, (m = new Map()));
  return m;
}

export function dateFormatOf(config: ManualConfig): DateFormat | undefined {
  return config.dateFormat ? compileDateFormat(config.dateFormat) : undefined;
}
