import { canonicalJson } from './canonical-json.js';

const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** The error an object or array raises when id() turns it into text. */
function noTextForm(target: object): () => never {
  return () => {
    const text = canonicalJson(target).text;
    const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
    throw new Error(
      `the ${Array.isArray(target) ? 'array' : 'object'} ${shown} has no text form to be an id; an id is a string or a number (id() returns the value, not String(value))`,
    );
  };
}

/** unwrapIdView's way through the proxy (a symbol: no JSON record holds one). */
const TARGET = Symbol('bronze id view target');

const handler: ProxyHandler<object> = {
  get(target, key) {
    if (key === TARGET) return target;
    if (key === Symbol.toPrimitive) return noTextForm(target);
    return idView(Reflect.get(target, key));
  },
};

/**
 * The record as a stream's id() sees it: its objects and arrays refuse to become text.
 * `String(r.id)` or `` `${r.id}` `` on an object id gives "[object Object]", one id for every
 * object, and on `[1, 2]` the "1,2" of a string id: distinct records merged as versions of
 * one (issue 17). Here id() throws instead, and the record is stored `invalid` with its hash
 * as raw_id. Everything else reads as before (fields, Object.entries, JSON.stringify, join
 * of strings); the view is built lazily, field by field. Booleans stay primitives (`true`
 * prints as "true"): an id() that returns the value, or an API stream's `id: 'field'`,
 * lets core refuse them too (record-values.ts).
 */
export function idView<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (!Array.isArray(value) && !isPlainObject(value)) return value;
  return new Proxy(value, handler) as T;
}

/**
 * The record behind id()'s view, for an id() that reads whole objects on purpose (it
 * serializes and hashes them, as Apple Health's content ids do): the view costs a proxy per
 * object touched. Anything else comes back as it is.
 */
export function unwrapIdView<T>(value: T): T {
  // Not a WeakMap from view to record: an entry per record made every ingest's GC walk them.
  return (typeof value === 'object' && value !== null ? ((value as Record<symbol, unknown>)[TARGET] as T | undefined) : undefined) ?? value;
}
