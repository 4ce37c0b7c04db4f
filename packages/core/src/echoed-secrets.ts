import { emit, isEmitted, type Emitted } from './contract.js';
import { REDACTED } from './secrets.js';

/**
 * JSON keys whose string values an API record never keeps: credentials some APIs echo back
 * (a user's own token in a profile, an OAuth grant in a connection object). Compared with
 * case, "_" and "-" ignored, so `accessToken` and `access-token` match `access_token`.
 * Deliberately narrow: this alters a raw record (docs/operations.md lists the keys).
 */
export const ECHOED_SECRET_KEYS = [
  'access_token', 'refresh_token', 'id_token', 'api_token', 'api_key', 'apikey', 'auth_token', 'session_token',
  'oauth_token', 'oauth_token_secret', 'client_secret', 'private_key', 'password', 'passwd',
] as const;

const normalise = (key: string) => key.toLowerCase().replace(/[_-]/g, '');
const SECRET_KEYS = new Set(ECHOED_SECRET_KEYS.map(normalise));

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** A value met on the walk, linked to its container so the path to a secret can be rebuilt. */
interface Visit {
  value: unknown;
  parent?: Visit;
  key?: string | number;
}

const keysOf = (v: Visit) => {
  const keys: (string | number)[] = [];
  for (let at: Visit | undefined = v; at?.parent; at = at.parent) keys.push(at.key!);
  return keys.reverse();
};

/**
 * The paths (keys from the root) of secret keys' non-empty strings, in document order. An
 * explicit stack, no recursion: an API record nested 5,000 levels deep is stored `invalid`
 * by the envelope, never a stack overflow that ends the run (issue 17).
 */
function findSecrets(root: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const stack: Visit[] = [{ value: root }];
  while (stack.length) {
    const at = stack.pop()!;
    const children: Visit[] = [];
    if (Array.isArray(at.value)) at.value.forEach((value, key) => children.push({ value, parent: at, key }));
    else if (isPlainObject(at.value)) {
      for (const [key, value] of Object.entries(at.value)) {
        if (SECRET_KEYS.has(normalise(key)) && typeof value === 'string' && value !== '' && value !== REDACTED) found.push(keysOf({ value, parent: at, key }));
        else children.push({ value, parent: at, key });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}

/** A copy of value with the secrets at these paths replaced; only the containers on a path are copied. */
function replaced(root: unknown, secrets: (string | number)[][]): unknown {
  const copies = new Map<unknown, unknown>();
  const copyOf = (v: unknown) => {
    if (!copies.has(v)) copies.set(v, Array.isArray(v) ? [...v] : copy(v as object));
    return copies.get(v) as Record<string | number, unknown>;
  };
  const out = copyOf(root);
  for (const keys of secrets) {
    let original = root as Record<string | number, unknown>;
    let target = out;
    keys.forEach((key, i) => {
      // defineProperty: a key named __proto__ stays a plain key of the copy.
      const value = i === keys.length - 1 ? REDACTED : copyOf(original[key]);
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      original = original[key] as Record<string | number, unknown>;
      target = value as Record<string | number, unknown>;
    });
  }
  return out;
}

const pointerOf = (keys: (string | number)[]) => keys.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function copy(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * An API record with echoed credentials replaced by "[REDACTED]"; the row's metadata names
 * the replaced paths (`redacted_paths`, JSON Pointers), so a reader knows the record was
 * altered and where. Records without such keys are returned as they are.
 */
export function withoutEchoedSecrets<T>(item: T | Emitted<T>): T | Emitted<T> {
  const record = isEmitted(item) ? item.record : item;
  const secrets = findSecrets(record);
  if (!secrets.length) return item;
  const meta = isEmitted(item) ? item.meta : {};
  return emit(replaced(record, secrets) as T, { ...meta, metadata: { ...meta.metadata, redacted_paths: secrets.map(pointerOf) } });
}
