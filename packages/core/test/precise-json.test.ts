import { describe, expect, it } from 'vitest';
import { canonicalJson, DUPLICATE_KEYS, JsonNumber, parseJsonPrecise } from '../src/index.js';

/** JSON.parse's view of a value: JsonNumbers become the double JSON.parse would give. */
function plain(v: unknown): unknown {
  if (v instanceof JsonNumber) return Number(v.literal);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe('parseJsonPrecise', () => {
  it('keeps every number literal a double cannot reproduce, and plain numbers as numbers', () => {
    const v = parseJsonPrecise('{"a": 0.1000000000000000055511151231257827, "b": 1e400, "c": 1.10, "d": 12345678901234567890123, "e": 42, "f": -3.5, "g": 1E5, "h": -0}') as Record<string, unknown>;
    for (const [k, literal] of [['a', '0.1000000000000000055511151231257827'], ['b', '1e400'], ['c', '1.10'], ['d', '12345678901234567890123'], ['g', '1E5'], ['h', '-0']]) {
      expect(v[k]).toBeInstanceOf(JsonNumber);
      expect((v[k] as JsonNumber).literal).toBe(literal);
    }
    expect(v.e).toBe(42);
    expect(v.f).toBe(-3.5);
    expect(canonicalJson(v).raw).toBe('{"a":0.1000000000000000055511151231257827,"b":1e400,"c":1.10,"d":12345678901234567890123,"e":42,"f":-3.5,"g":1E5,"h":-0}');
  });

  it('keeps long integers exact and strings that look like numbers or markers as strings', () => {
    const text = '{"id": 1234567890123456789, "neg": -98765432109876543210, "safe": 9007199254740991, "f": 1.5e3, "s": "12345678901234567890 \\" 99999999999999999", "m": "\\u0000bronze-bigint:42"}';
    const v = parseJsonPrecise(text) as Record<string, unknown>;
    expect(String(v.id)).toBe('1234567890123456789');
    expect(String(v.neg)).toBe('-98765432109876543210');
    expect(v.safe).toBe(9007199254740991);
    expect(Number(v.f)).toBe(1500);
    expect(v.s).toBe('12345678901234567890 " 99999999999999999');
    expect(v.m).toBe('\u0000bronze-bigint:42');
    // The hash text is what main wrote (BigInt digits, 1500), so existing record_hash values hold.
    expect(canonicalJson(v).text).toBe('{"f":1500,"id":1234567890123456789,"m":"\\u0000bronze-bigint:42","neg":-98765432109876543210,"s":"12345678901234567890 \\" 99999999999999999","safe":9007199254740991}');
  });

  it('keeps __proto__ as an own key and notes the earlier values of duplicate keys', () => {
    const v = parseJsonPrecise('{"__proto__": {"admin": true}, "a": 1, "a": {"x": 2}, "a": 3}') as Record<string | symbol, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')!.value).toEqual({ admin: true });
    expect(v.a).toBe(3);
    expect(v[DUPLICATE_KEYS]).toEqual([{ key: 'a', earlier: [1, { x: 2 }] }]);
    expect(canonicalJson(v).text).toBe('{"__proto__":{"admin":true},"a":3}');
  });

  it('parses 100,000 levels of nesting without recursion', () => {
    const depth = 100_000;
    let v = parseJsonPrecise('['.repeat(depth) + ']'.repeat(depth));
    let n = 0;
    while (Array.isArray(v) && v.length) (v = v[0], n++);
    expect(n).toBe(depth - 1);
  });

  it('agrees with JSON.parse on valid JSON and refuses what it refuses', () => {
    const valid = ['[]', '{}', ' [ 1 , [ ] , { } ] ', '"a\\nb\\u00e9"', 'true', 'null', '-0.5e-3', '{"a":[{"b":[null,false]}],"c":""}', '"\\ud83d\\ude00"', '[1e21, 2E-7, 0]'];
    for (const t of valid) expect(plain(parseJsonPrecise(t))).toEqual(JSON.parse(t));
    const invalid = ['', '[', '[1,]', '{"a":1,}', '{"a"}', '{a:1}', '01', '1.', '.5', '+1', '"\u0001"', '"\\x"', '[1 2]', 'tru', 'nul', '{"a":1} x', '[]]', '{,}', '[,1]', '"abc'];
    for (const t of invalid) {
      expect(() => JSON.parse(t), t).toThrow(SyntaxError);
      expect(() => parseJsonPrecise(t), t).toThrow(SyntaxError);
    }
  });

  it('agrees with JSON.parse on random documents', () => {
    let seed = 7;
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % k);
    const gen = (d: number): unknown => {
      const t = rnd(d > 4 ? 4 : 7);
      if (t === 0) return rnd(1000) - 500;
      if (t === 1) return String.fromCharCode(...Array.from({ length: rnd(6) }, () => 32 + rnd(200)));
      if (t === 2) return rnd(2) === 0;
      if (t === 3) return null;
      if (t === 4 || t === 5) return Array.from({ length: rnd(4) }, () => gen(d + 1));
      return Object.fromEntries(Array.from({ length: rnd(4) }, () => [`k${rnd(5)}`, gen(d + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const text = JSON.stringify(gen(0), null, rnd(2) ? 1 : undefined);
      expect(plain(parseJsonPrecise(text))).toEqual(JSON.parse(text));
    }
  });
});

describe('which literals stay plain numbers', () => {
  it('a literal is a plain number exactly when String(Number(literal)) writes it back', () => {
    const literals = ['0', '-0', '1', '-1', '10', '100', '1.5', '-0.5', '0.1', '0.10', '1.0', '0.000001', '0.0000001', '0.0000015', '123456789012345', '1234567890123456', '9007199254740993',
      '123456789.12345', '0.123456789012345', '1e5', '1E5', '2e-7', '1e21', '1e+21', '-0.0', '5.00', '3.14159265358979', '3.141592653589793', '3.1415926535897932'];
    for (const l of literals) {
      const v = parseJsonPrecise(l);
      expect(typeof v === 'number', l).toBe(String(Number(l)) === l);
      if (v instanceof JsonNumber) expect(v.literal).toBe(l);
    }
  });
});
