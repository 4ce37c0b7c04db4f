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
      messages.push(`${e.path || '/'}: ${e.message}`);
      if (messages.length >= MAX_REPORTED) break;
    }
    return messages.join('; ') || 'does not match the stream schema';
  };
}
