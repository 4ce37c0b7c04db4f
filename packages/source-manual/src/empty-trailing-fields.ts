/**
 * Rows that end in more fields than the header names, all of them empty: bank exports that
 * close every row with a delimiter or a `""` the header lacks (Sparda-Bank's "Umsätze":
 * a 5-name header, rows `"20.01.2024";…;"EUR";""`). Read strictly, every booking of such a
 * file would be an invalid `{line, fields}` record. The extra fields hold nothing, so the
 * row is read by the header's names, the empty extras kept under `column_<n>` (n: their
 * position, as core names an unnamed column), so every field of the line is still stored.
 */
import { columnName, numberRepeatedColumns } from '@bronze/core';

/** The keys core's CSV reader gives a header: a blank name is `column_<n>`, a repeated one `name#2`, `#3`…. */
export function headerKeys(written: string[]): string[] {
  return numberRepeatedColumns(written.map((h, i) => (h.trim() === '' ? columnName(i) : h)));
}

/**
 * The row, when `fields` is longer than the header only by empty fields; undefined when a
 * field beyond the header holds text (a record of another shape: stored invalid, as written)
 * or when `column_<n>` is already a column name.
 */
export function rowWithEmptyTail(keys: string[], fields: string[]): Record<string, string> | undefined {
  if (fields.length <= keys.length) return undefined;
  const extra = fields.slice(keys.length);
  if (extra.some((f) => f !== '')) return undefined;
  const extraKeys = extra.map((_, i) => columnName(keys.length + i));
  if (extraKeys.some((k) => keys.includes(k))) return undefined;
  // fromEntries defines own properties: a column named __proto__ stays an ordinary key.
  return Object.fromEntries([...keys, ...extraKeys].map((k, i) => [k, fields[i]]));
}

/**
 * The row, when `fields` is shorter than the header only by columns the header leaves unnamed:
 * a header ending in the delimiter (`…,"Fees & Comm","Amount",`) over a row that does not
 * (Schwab's `…,"-100","","",""`). Read strictly it was an invalid `{line, fields}` record;
 * its fields line up with the names, so it is keyed by them, and the unnamed column it has
 * no field for is absent (no value is made up). One field (a blank line `""`) stays invalid.
 */
export function rowWithoutUnnamedTail(keys: string[], written: string[], fields: string[]): Record<string, string> | undefined {
  if (fields.length < 2 || fields.length >= keys.length) return undefined;
  if (written.slice(fields.length).some((n) => n.trim() !== '')) return undefined;
  return Object.fromEntries(keys.slice(0, fields.length).map((k, i) => [k, fields[i]]));
}
