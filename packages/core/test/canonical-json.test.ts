import { describe, expect, it } from 'vitest';
import { canonicalJson, fromJsonbSafe, recordHash } from '../src/index.js';
import { isJsonbUnsafe } from '../src/envelope/canonical-json.js';
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
