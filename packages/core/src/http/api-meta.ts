import type { ApiMeta } from '../contract.js';
import { redact } from '../secrets.js';

const RATE_HEADERS = /^(x-ratelimit-|x-rate-limit-|ratelimit|retry-after$|x-toggl-quota-)/i;
const REQUEST_ID_HEADERS = ['x-request-id', 'x-toggl-request-id', 'x-github-request-id', 'x-amzn-requestid', 'request-id', 'x-correlation-id'];
const SECRET_PARAM = /(token|secret|password|passwd|api[_-]?key|apikey|signature|sig|auth|key)$/i;

/** Path and query of a URL with secret-looking parameters and registered secrets removed. */
export function safeEndpoint(url: URL): string {
  const u = new URL(url);
  for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.set(k, 'REDACTED');
  // Readable in the api_endpoint column (":" rather than "%3A"), still unambiguous.
  const query = [...u.searchParams].map(([k, v]) => `${readable(k)}=${readable(v)}`).join('&');
  return redact(`${decodeURI(u.pathname)}${query ? `?${query}` : ''}`);
}

const readable = (s: string) => s.replace(/[%&=#+\s]/g, (c) => encodeURIComponent(c));

/** The API version as the response states it, or as the path says (/api/v9/ → v9). */
export function apiVersionOf(url: URL, headers: Headers): string | undefined {
  const fromHeader = headers.get('api-version') ?? headers.get('x-api-version') ?? headers.get('x-github-api-version-selected');
  if (fromHeader) return fromHeader;
  return /\/(v\d+(?:\.\d+)*)(?:\/|$)/.exec(url.pathname)?.[1];
}

export function apiMetaOf(url: URL, status: number, headers: Headers, version?: string): ApiMeta {
  // Header values are the server's: scrubbed like any text before they reach a column.
  const rateLimit = Object.fromEntries([...headers].filter(([k]) => RATE_HEADERS.test(k)).map(([k, v]) => [k, redact(v)]));
  const requestId = REQUEST_ID_HEADERS.map((h) => headers.get(h)).find((v) => v);
  return {
    endpoint: safeEndpoint(url),
    status,
    requestId: requestId ? redact(requestId) : undefined,
    version: version ?? apiVersionOf(url, headers),
    rateLimit: Object.keys(rateLimit).length ? rateLimit : undefined,
  };
}
