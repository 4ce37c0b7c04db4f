// Every secret bronze learns (tokens, passwords) is registered here so that logs, error
// messages, run parameters and metrics can be scrubbed in one place. Registered values are
// not enough (a malformed DATABASE_URL cannot be parsed to find its password), so text is
// also scrubbed by pattern: the rules are listed in docs/operations.md.
const secrets = new Set<string>();

export const REDACTED = '[REDACTED]';

export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) secrets.add(value);
}

/** Secret-looking parts of any text, found by their shape, whether or not they were registered. */
const PATTERNS: [RegExp, string][] = [
  // userinfo of a URL, parseable or not: scheme://user:password@host → scheme://user:***@host.
  // The password runs to the last "@" of the word, so an unencoded "@" or "/" in it is covered.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]*):[^\s'"]*@/gi, '$1:***@'],
  // key=value pairs (query strings, libpq keyword strings, form bodies) whose key names a secret.
  // (A value already masked, REDACTED or ***, is left as it is.)
  [/(\b[\w.-]*(?:password|passwd|pwd|token|secret|api[_-]?key|apikey|signature|credential)=)(?!(?:\[?REDACTED\]?|\*\*\*)(?:[&\s'"#;,]|$))[^&\s'"#;,]+/gi, `$1${REDACTED}`],
  // HTTP credentials: Authorization: Basic/Bearer/Token <value>, and any bare "Bearer <value>".
  [/(\bauthorization\s*[:=]\s*"?(?:basic|bearer|token|digest)?\s*)[^\s'",;]+/gi, `$1${REDACTED}`],
  [/(\bbearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi, `$1${REDACTED}`],
  // JSON text (an API error body in a message): "access_token": "…" and the other secret keys.
  [/("(?:access_token|refresh_token|id_token|api_token|api_key|apikey|client_secret|password|passwd|secret|private_key|session_token|auth_token|oauth_token|oauth_token_secret)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${REDACTED}"`],
];

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
    const encoded = encodeURIComponent(s);
    if (encoded !== s && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const SECRET_KEY = /(token|secret|password|passwd|pass|authorization|api[_-]?key|cookie|credential)/i;

/** Deep copy with secret-looking keys and registered secret values replaced. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v != null ? REDACTED : redactValue(v);
    return out as T;
  }
  return value;
}

/** Removes a database URL's password before it is shown to anyone, even from a URL that does not parse. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return redact(u.toString());
  } catch {
    return redact(url);
  }
}
