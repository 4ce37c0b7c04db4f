import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

export type Validator = (value: unknown) => string | undefined;

const MAX_REPORTED = 5;

/**
 * Compiles a stream's schema once. The returned function gives undefined for a valid
 * record, else the failures as "<json pointer>: <rule>" joined by "; ".
 */
export function compileValidator(schema: TSchema): Validator {
  const check: TypeCheck<TSchema> = TypeCompiler.Compile(schema);
  return (value) => {
    if (check.Check(value)) return undefined;
    const messages: string[] = [];
    for (const e of check.Errors(value)) {
      // A JSON pointer names a field; the whole record's failure says what the record is instead of "/".
      messages.push(e.path ? `${e.path}: ${e.message}` : `the record is ${kindOf(value)}: ${e.message}`);
      if (messages.length >= MAX_REPORTED) break;
    }
    return messages.join('; ') || 'does not match the stream schema';
  };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'undefined' : `a ${t}`;
}
