import { expect, it } from 'vitest';
import { compileValidator, Int64, Type } from '../src/index.js';
it('Int64 takes integers and the BigInt of ids past 2^53, refuses fractions and text, and is an int64 in JSON Schema', () => {
  const v = compileValidator(Type.Object({ id: Int64() }));
  expect(v({ id: 1 })).toBeUndefined();
  expect(v({ id: 9007199254740993n })).toBeUndefined();
  expect(v({ id: 1.5 })).toBeDefined();
  expect(v({ id: '1' })).toBeDefined();
  expect(JSON.parse(JSON.stringify(Int64()))).toEqual({ type: 'integer', format: 'int64' });
});
