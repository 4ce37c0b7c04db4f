import { createHmac, randomBytes } from 'node:crypto';

/** RFC 3986 percent-encoding, as OAuth 1.0a (RFC 5849 §3.6) requires. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

/**
 * The `Authorization: OAuth …` header of an HMAC-SHA1 signed request (RFC 5849 §3.4).
 * `params` are the query and form parameters, which are signed with the oauth_* ones.
 */
export function oauth1Header(
  method: string,
  url: string,
  params: Record<string, string>,
  c: OAuth1Credentials,
  fixed: { nonce?: string; timestamp?: number } = {},
): string {
  const u = new URL(url);
  const query = Object.fromEntries(u.searchParams);
  u.search = '';
  u.hash = '';
  const oauth: Record<string, string> = {
    oauth_consumer_key: c.consumerKey,
    oauth_nonce: fixed.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(fixed.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_token: c.token,
    oauth_version: '1.0',
  };
  const all = Object.entries({ ...query, ...params, ...oauth })
    .map(([k, v]) => [percentEncode(k), percentEncode(v)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [method.toUpperCase(), percentEncode(u.toString()), percentEncode(all)].join('&');
  const key = `${percentEncode(c.consumerSecret)}&${percentEncode(c.tokenSecret)}`;
  oauth.oauth_signature = createHmac('sha1', key).update(base).digest('base64');
  return `OAuth ${Object.entries(oauth).map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`).join(', ')}`;
}
