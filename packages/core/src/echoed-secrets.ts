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

const pointer = (path: string, key: string | number) => `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** A copy of value with secret keys' non-empty strings replaced, and the JSON Pointers of what was replaced. */
function scrub(value: unknown, path: string, paths: string[]): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const s = scrub(v, pointer(path, i), paths);
      if (s !== v) (out ??= [...value])[i] = s;
    });
    return out ?? value;
  }
  if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      let s: unknown;
      if (SECRET_KEYS.has(normalise(k)) && typeof v === 'string' && v !== '' && v !== REDACTED) {
        paths.push(pointer(path, k));
        s = REDACTED;
      } else s = scrub(v, pointer(path, k), paths);
      // defineProperty: a key named __proto__ stays a plain key of the copy.
      if (s !== v) Object.defineProperty((out ??= copy(value)), k, { value: s, enumerable: true, writable: true, configurable: true });
    }
    return out ?? value;
  }
  return value;
}

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
  const paths: string[] = [];
  const scrubbed = scrub(record, '', paths);
  if (!paths.length) return item;
  const meta = isEmitted(item) ? item.meta : {};
  return emit(scrubbed as T, { ...meta, metadata: { ...meta.metadata, redacted_paths: paths } });
}
