/**
 * The hostile records of the hostile-input suite (hostile.ts), each given as JSON text so
 * that what a JavaScript value cannot express (duplicate keys, damage, 5,000 levels) can
 * be written too. A file source turns them into a file of its format; an API source serves
 * them as a response body.
 */

export interface HostileFields {
  /** Field the source reads the record id from. */
  id: string;
  /** Field the source reads the record timestamp from. */
  timestamp: string;
  /**
   * A valid record of the stream: every hostile record is built on it (the fields the case
   * does not set), so the stream's schema judges only what the case changes.
   */
  base?: Record<string, unknown>;
  /**
   * The stream's schema wants integer ids: the cases' named ids ("ts-0", "dup", …) become
   * integers (namedId). Hostile ids stay what they are.
   */
  integerIds?: boolean;
  /**
   * The record has no id of its own: the source composes raw_id from several fields
   * (`ts|uri|ms_played`), `id` being the one the hostile ids go in. Rows are still found by
   * that field's value; raw_id only has to hold its text (or be the record hash when refused).
   */
  idIsPart?: boolean;
}

export interface HostileCase {
  name: string;
  /** The records, in order, as JSON text; `damage` marks the entry that is not valid JSON. */
  records(f: HostileFields): string[];
  /** Index of the entry that is not valid JSON, when the case has one. */
  damage?: number;
}

const TAGS = ['ts', 'poison', 'id', 'deep', 'ok', 'broken', 'dup', 'proto', 'marker', 'numbers'];

/**
 * The id value of a named record ("poison-3", "dup"): the name itself, or for integerIds a
 * distinct integer per name (100000 per tag, the tag alone as 99999).
 */
export function namedId(f: HostileFields, name: string): string | number {
  if (!f.integerIds) return name;
  const [, tag, n] = /^([a-z]+)(?:-(\d+))?$/.exec(name) ?? [];
  const t = TAGS.indexOf(tag);
  if (t < 0) throw new Error(`hostile suite: no integer id for "${name}"`);
  return (t + 1) * 100_000 + (n === undefined ? 99_999 : Number(n));
}

/** A record as JSON text: the case's members (key, JSON text), then the base record's others. */
function rec(f: HostileFields, members: [string, string][]): string {
  const own = new Set(members.map(([k]) => k));
  const base = Object.entries(f.base ?? {}).filter(([k]) => !own.has(k)).map(([k, v]) => [k, JSON.stringify(v)]);
  return `{${[...members, ...base].map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`;
}
/** A record of the named id and these fields (JSON values). */
const named = (f: HostileFields, name: string, fields: Record<string, unknown> = {}, raw: [string, string][] = []) =>
  rec(f, [[f.id, JSON.stringify(namedId(f, name))], ...Object.entries(fields).map(([k, v]): [string, string] => [k, JSON.stringify(v)]), ...raw]);

const good = (f: HostileFields, tag: string, i: number) => named(f, `${tag}-${i}`, { [f.timestamp]: `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`, n: i });
const goods = (f: HostileFields, tag: string, count: number, from = 0) => Array.from({ length: count }, (_, i) => good(f, tag, from + i));

/** Timestamps no PostgreSQL timestamptz partition holds; the first two are ISO texts every source reads as dates. */
export const POISON_TIMESTAMPS: unknown[] = ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-08:00', 1e15, '-000044-03-15T00:00:00Z', '+050000-01-01T00:00:00Z'];

/** Ids PostgreSQL text cannot hold as they are, or too long for an index entry. */
export const HOSTILE_IDS = ['a\u0000b', 'a\u0000c', '\ud800', '\udc00', `x${'y'.repeat(3000)}`];

export const NUMBERS = { a: '0.1000000000000000055511151231257827', b: '1e400', c: '1.10', d: '12345678901234567890123' };

export const HOSTILE_CASES: HostileCase[] = [
  {
    name: 'poison_timestamps',
    records: (f) => [good(f, 'ts', 0), ...POISON_TIMESTAMPS.map((t, i) => named(f, `poison-${i}`, { [f.timestamp]: t })), good(f, 'ts', 1)],
  },
  {
    name: 'hostile_ids',
    records: (f) => [good(f, 'id', 0), ...HOSTILE_IDS.map((id) => rec(f, [[f.id, JSON.stringify(id)], ['v', '"x"']])), good(f, 'id', 1)],
  },
  {
    name: 'ids_of_every_type',
    records: (f) => [{ a: 1 }, { a: 2 }, [1, 2], '1,2', true, 'true', '[object Object]'].map((id, i) => rec(f, [[f.id, JSON.stringify(id)], ['i', String(i)]])),
  },
  {
    name: 'deep_nesting',
    records: (f) => [good(f, 'deep', 0), named(f, 'deep', {}, [['v', `${'['.repeat(5000)}1${']'.repeat(5000)}`]]), good(f, 'deep', 1)],
  },
  {
    name: 'broken_mid_chunk',
    records: (f) => [...goods(f, 'ok', 300), `{${JSON.stringify(f.id)}: ${JSON.stringify(namedId(f, 'broken'))}, "v": nope`, ...goods(f, 'ok', 5, 300)],
    damage: 300,
  },
  {
    name: 'duplicate_keys',
    records: (f) => [good(f, 'dup', 0), named(f, 'dup', {}, [['v', '1'], ['v', '{"kept": "too"}']]), good(f, 'dup', 1)],
  },
  {
    name: 'proto_keys',
    records: (f) => [named(f, 'proto', {}, [['__proto__', '{"polluted": true}'], ['o', '{"__proto__": 1}']]), good(f, 'proto', 0)],
  },
  {
    name: 'marker_lookalikes',
    records: (f) => [named(f, 'marker', { s: '\u0000bronze-bigint:42', o: { $bronze_escaped: '"x"' }, k: { '$bronze_escaped_key:"z"': 1 } })],
  },
  {
    name: 'exact_numbers',
    records: (f) => [named(f, 'numbers', {}, Object.entries(NUMBERS))],
  },
];
