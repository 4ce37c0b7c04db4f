import { basename } from 'node:path';

/** `My Weights (2024).csv.gz` → `my_weights_2024`: the default stream of a file. */
export function streamNameOf(path: string): string {
  const base = basename(path).replace(/\.gz$/i, '').replace(/\.[^.]+$/, '');
  const snake = base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!snake) return 'rows';
  return /^[a-z]/.test(snake) ? snake : `f_${snake}`;
}

/** A date or timestamp ending a file name: `.20261006090000`, `_2024-01`, `-2025-01-31`, `_20240131`. */
const DATE_STAMP = /[ ._-](\d{8}(?:\d{4}(?:\d{2})?)?|\d{4}[-_.]\d{2}(?:[-_.]\d{2})?)$/;

/**
 * The summary's word on a file whose name ends in a date (Samsung Health's
 * `com.samsung.shealth.step_daily_trend.20261006090000.csv`, a bank's `Umsaetze_2024-01.csv`):
 * its default stream holds that date, so the next export, named with another, is another
 * stream, and the records both hold are stored again there. Undefined for other names.
 */
export function datedStreamNote(path: string): string | undefined {
  const base = basename(path).replace(/\.gz$/i, '').replace(/\.[^.]+$/, '');
  const stamp = DATE_STAMP.exec(base);
  if (!stamp) return undefined;
  const stream = streamNameOf(path);
  const without = streamNameOf(base.slice(0, stamp.index) + '.csv');
  return (
    `${basename(path)}: stream ${stream} is named after a file name ending in a date (${stamp[1]}): the next export, named with another date, ` +
    `would be another stream, the records both hold stored again there; pass --stream ${without} to keep every export in one stream`
  );
}
