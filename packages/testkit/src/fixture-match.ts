import type { FixtureRequest, QueryMatcher } from './fixture-server.js';

function valueMatches(m: QueryMatcher, v: string): boolean {
  if (m === '*') return true;
  if (typeof m === 'string') return m === v;
  const re = m instanceof RegExp ? m : new RegExp(m.regex);
  return re.test(v);
}

function bodyMatches(wanted: NonNullable<FixtureRequest['body']>, body: unknown): boolean {
  const fields = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  for (const [k, m] of Object.entries(wanted)) {
    if (typeof m === 'object' && 'absent' in m) {
      if (k in fields) return false;
      continue;
    }
    const v = fields[k];
    if (v === undefined || !valueMatches(m, typeof v === 'string' ? v : JSON.stringify(v))) return false;
  }
  return true;
}

/** Whether a request fits a fixture's matcher: method, path, query, headers and JSON body fields. */
export function matches(f: FixtureRequest, method: string, path: string, query: Record<string, string>, headers: Record<string, string>, body: unknown): boolean {
  if ((f.method ?? 'GET').toUpperCase() !== method || f.path !== path) return false;
  if (f.body && !bodyMatches(f.body, body)) return false;
  for (const [k, m] of Object.entries(f.headers ?? {})) if (headers[k] === undefined || !valueMatches(m, headers[k])) return false;
  const wanted = f.query ?? {};
  for (const [k, m] of Object.entries(wanted)) if (query[k] === undefined || !valueMatches(m, query[k])) return false;
  return f.anyQuery || Object.keys(query).every((k) => k in wanted);
}

export function parsedBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
