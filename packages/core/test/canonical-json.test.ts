import { describe, expect, it } from 'vitest';
import { canonicalJson, fromJsonbSafe, recordHash } from '../src/index.js';
import { isJsonbUnsafe, jsonString, sortKeys } from '../src/envelope/canonical-json.js';
import { toJsonbSafe } from '../src/envelope/jsonb-safe.js';

describe('canonical JSON and record_hash', () => {
  it('sorts keys at every depth, so key order does not change the hash', () => {
    const a = { b: 1, a: { y: [1, { d: 2, c: 3 }], x: 'z' } };
    const b = { a: { x: 'z', y: [1, { c: 3, d: 2 }] }, b: 1 };
    expect(canonicalJson(a).text).toBe('{"a":{"x":"z","y":[1,{"c":3,"d":2}]},"b":1}');
    expect(recordHash(a)).toBe(recordHash(b));
  });

  it('changes the hash when any value changes, including array order and types', () => {
    const base = recordHash({ a: [1, 2], n: 1 });
    expect(recordHash({ a: [2, 1], n: 1 })).not.toBe(base);
    expect(recordHash({ a: [1, 2], n: '1' })).not.toBe(base);
    expect(recordHash({ a: [1, 2], n: 1, extra: null })).not.toBe(base);
  });

  it('finds strings jsonb refuses: NUL and unpaired surrogates, not valid pairs', () => {
    expect(isJsonbUnsafe('a\u0000b')).toBe(true);
    expect(isJsonbUnsafe('x\ud800')).toBe(true);
    expect(isJsonbUnsafe('\udc00y')).toBe(true);
    expect(isJsonbUnsafe('emoji \ud83d\ude00 ok')).toBe(false);
    expect(isJsonbUnsafe('plain')).toBe(false);
    expect(canonicalJson({ k: ['ok', 'bad\u0000'] }).unsafePaths).toEqual(['$.k[1]']);
  });

  it('escapes unsafe strings and keys losslessly', () => {
    const original = { note: 'a\u0000b', list: ['\ud800', 'fine'], ['key\u0000']: 1, nested: { s: '\udfff!' } };
    const safe = toJsonbSafe(original);
    expect(canonicalJson(safe).unsafePaths).toEqual([]);
    expect(fromJsonbSafe(JSON.parse(JSON.stringify(safe)))).toEqual(original);
  });
});

it('sortKeys orders keys as Array.prototype.sort does (UTF-16 code units), short and long lists', () => {
  const alphabet = ['a', 'B', 'é', 'Z', '_', '1', '\u{1F600}', '\uff61', ' ', '$', 'aa', 'a\u0000'];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
  for (const size of [0, 1, 2, 5, 12, 24, 25, 60]) {
    for (let round = 0; round < 20; round++) {
      const keys = new Set<string>();
      while (keys.size < size) keys.add(Array.from({ length: 1 + (next() % 4) }, () => alphabet[next() % alphabet.length]).join(''));
      const shuffled = [...keys];
      expect(sortKeys([...shuffled])).toEqual([...shuffled].sort());
    }
  }
});

it('jsonString writes every string as JSON.stringify does (its shortcut only where nothing needs escaping)', () => {
  const samples = ['', 'plain', 'a"b', 'a\\b', 'tab\tnew\nline', '\u0000', '\u007f', '\u2028\u2029', 'é€😀', '\ud800', 'x\udc00', '\udbff\udfff', `${'x'.repeat(5000)}"`];
  for (let c = 0; c < 0x10000; c++) samples.push(String.fromCharCode(c), `a${String.fromCharCode(c)}b`);
  const differ = samples.filter((s) => jsonString(s) !== JSON.stringify(s));
  expect(differ.map((s) => JSON.stringify(s)).slice(0, 5)).toEqual([]);
});
