// Every secret bronze learns (tokens, passwords) is registered here so that logs, error
// messages, run parameters and metrics can be scrubbed in one place.
const secrets = new Set<string>();

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    const encoded = encodeURIComponent(s);
    if (encoded !== s && out.includes(encoded)) out = out.split(encoded).join('[REDACTED]');
  }
  return out;
}

const SECRET_KEY = /(token|secret|password|passwd|pass|authorization|api[_-]?key|cookie|credential)/i;

/** Deep copy with secret-looking keys and registered secret values replaced. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v != null ? '[REDACTED]' : redactValue(v);
    return out as T;
  }
  return value;
}

/** Removes a database URL's password before it is shown to anyone. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return redact(url);
  }
}
