import { numberOf } from './json-number.js';

/**
 * Earlier values of keys an object held more than once, on a non-enumerable symbol
 * property of the object: raw_data keeps the last value (as JSON.parse and jsonb do), the
 * envelope marks the record `warning` and keeps these in the row's metadata.
 */
export const DUPLICATE_KEYS = Symbol.for('bronze.duplicateKeys');

export interface DuplicateKey {
  key: string;
  /** The values the key had before its last occurrence, in file order. */
  earlier: unknown[];
}

type Container = Record<string, unknown> | unknown[];

/**
 * Builds values from JSON tokens without recursion (any depth), keeping what JSON.parse
 * and stream-json's Assembler lose: exact numbers (JsonNumber), `__proto__` as an own
 * key, and the earlier values of duplicate keys (DUPLICATE_KEYS).
 */
export class JsonValueBuilder {
  private stack: (Container | string | null)[] = [];
  private current: Container | undefined;
  private key: string | null = null;
  /** True once a complete top-level value was built. */
  done = false;
  value: unknown;

  get depth(): number {
    return (this.stack.length >> 1) + (this.current ? 1 : 0);
  }

  startObject(): void {
    this.open({});
  }

  startArray(): void {
    this.open([]);
  }

  end(): void {
    const value = this.current!;
    if (this.stack.length) {
      this.key = this.stack.pop() as string | null;
      this.current = this.stack.pop() as Container;
    } else {
      this.current = undefined;
    }
    this.save(value);
  }

  keyValue(key: string): void {
    this.key = key;
  }

  stringValue(s: string): void {
    this.save(s);
  }

  numberValue(literal: string): void {
    this.save(numberOf(literal));
  }

  literal(v: boolean | null): void {
    this.save(v);
  }

  private open(c: Container): void {
    if (this.current) this.stack.push(this.current, this.key);
    this.current = c;
    this.key = null;
  }

  private save(value: unknown): void {
    const c = this.current;
    if (!c) {
      this.value = value;
      this.done = true;
    } else if (Array.isArray(c)) {
      c.push(value);
    } else {
      setKey(c, this.key!, value);
      this.key = null;
    }
  }
}

/** obj[key] = value, except that `__proto__` stays an own key and a repeated key is noted. */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    if (Object.prototype.hasOwnProperty.call(obj, key)) noteDuplicate(obj, key);
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  // An inherited property is a function (toString…); a JSON value never is, so a
  // defined non-function value is an own key seen before.
  const prev = obj[key];
  if (prev !== undefined && typeof prev !== 'function') noteDuplicate(obj, key);
  obj[key] = value;
}

function noteDuplicate(obj: Record<string, unknown>, key: string): void {
  const holder = obj as Record<symbol, DuplicateKey[] | undefined>;
  let dups = holder[DUPLICATE_KEYS];
  if (!dups) {
    dups = [];
    Object.defineProperty(obj, DUPLICATE_KEYS, { value: dups, enumerable: false });
  }
  const entry = dups.find((d) => d.key === key);
  if (entry) entry.earlier.push(obj[key]);
  else dups.push({ key, earlier: [obj[key]] });
}
