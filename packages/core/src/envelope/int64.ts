import { Kind, Type, TypeRegistry, type TSchema, type SchemaOptions } from '@sinclair/typebox';

const INT64 = 'BronzeInt64';

// An integer of up to 64 bits as validators see it: a number, or a BigInt past 2^53 (JsonNumber.toPlain).
if (!TypeRegistry.Has(INT64)) {
  TypeRegistry.Set(INT64, (_schema, value) => (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint');
}

/**
 * A 64-bit integer field (GitHub's ids): Type.Integer() refuses the BigInt a validator sees for
 * values past 2^53, which core stores exactly. JSON Schema: `{"type":"integer","format":"int64"}`.
 */
export function Int64(options: SchemaOptions = {}): TSchema & { static: number | bigint } {
  return Type.Unsafe<number | bigint>({ ...options, [Kind]: INT64, type: 'integer', format: 'int64' }) as TSchema & { static: number | bigint };
}
