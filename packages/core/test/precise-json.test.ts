import { describe, expect, it } from 'vitest';
import { canonicalJson, parseJsonPrecise } from '../src/index.js';

describe('JSON numbers beyond 2^53', () => {
  it('keeps long integers exact, leaves safe numbers and strings alone', () => {
    const text = '{"id": 1234567890123456789, "neg": -98765432109876543210, "safe": 9007199254740991, "f": 1.5e3, "s": "12345678901234567890 \\" 99999999999999999"}';
    const v = parseJsonPrecise(text) as Record<string, unknown>;
    expect(v.id).toBe(1234567890123456789n);
    expect(v.neg).toBe(-98765432109876543210n);
    expect(v.safe).toBe(9007199254740991);
    expect(v.f).toBe(1500);
    expect(v.s).toBe('12345678901234567890 " 99999999999999999');
    expect(canonicalJson(v).text).toBe('{"f":1500,"id":1234567890123456789,"neg":-98765432109876543210,"s":"12345678901234567890 \\" 99999999999999999","safe":9007199254740991}');
  });

  it('parses like JSON.parse when there is no long number, and fails like it on bad JSON', () => {
    expect(parseJsonPrecise('[1, {"a": null}]')).toEqual([1, { a: null }]);
    expect(() => parseJsonPrecise('{"a": 12345678901234567890,}')).toThrow(SyntaxError);
  });
});
