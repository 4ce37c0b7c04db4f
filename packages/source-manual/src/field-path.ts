type Row = Record<string, unknown>;

const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A row's field by name: the key itself when the row has it (a CSV column `No.`, a JSON key
 * `a.b`), else a dotted path into nested objects (`tweet.id_str`, `tweet.created_at`): a
 * Twitter/X archive's items are `{"tweet": {…}}`, their id and date one level down.
 */
export function fieldOf(row: unknown, name: string): unknown {
  if (!isObject(row)) return undefined;
  if (Object.hasOwn(row, name)) return row[name];
  if (!name.includes('.')) return undefined;
  let v: unknown = row;
  for (const part of name.split('.')) {
    if (!isObject(v) || !Object.hasOwn(v, part)) return undefined;
    v = v[part];
  }
  return v;
}

/**
 * The key of an object whose only field is an object (`{"tweet": {…}}`, `{"like": {…}}`):
 * a wrapper, whose fields are the record's. Undefined for any other row.
 */
export function wrapperKey(row: unknown): string | undefined {
  if (!isObject(row)) return undefined;
  let key: string | undefined;
  for (const k in row) {
    if (!Object.hasOwn(row, k)) continue;
    if (key !== undefined) return undefined;
    key = k;
  }
  return key !== undefined && isObject(row[key]) ? key : undefined;
}

/**
 * The field a row's id is read from: --id-field when given; else `id`, or `<key>.id` in a
 * wrapper row without a top-level `id` (a tweet's `{"tweet": {"id": …}}`).
 */
export function idFieldOf(row: unknown, given: string | undefined): string {
  if (given !== undefined) return given;
  if (isObject(row) && !Object.hasOwn(row, 'id')) {
    const key = wrapperKey(row);
    if (key !== undefined && Object.hasOwn(row[key] as Row, 'id')) return `${key}.id`;
  }
  return 'id';
}

/**
 * The fields of a row a date may be read from, each with the name it is judged by: its own
 * (`Booking date.` judged whole), and a wrapper's as `<key>.<field>`, judged by `<field>`.
 */
export function fieldNamesOf(row: Row): [name: string, judged: string][] {
  const key = wrapperKey(row);
  if (key === undefined) return Object.keys(row).map((k) => [k, k]);
  return Object.keys(row[key] as Row).map((k) => [`${key}.${k}`, k]);
}
