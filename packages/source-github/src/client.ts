import type { HttpRequest, StatusAdvice } from '@bronze/core';
import { TOKEN_HELP } from './config.js';

/** The largest page GitHub serves: fewer requests per listing. */
export const PER_PAGE = 100;
export const JSON_MEDIA_TYPE = 'application/vnd.github+json';
/** The REST API version bronze's streams were written against (GitHub answers in it). */
export const API_VERSION = '2022-11-28';

/** A GitHub request: path below GITHUB_BASE_URL, GitHub's media type and API version. */
export function gh(path: string, query: HttpRequest['query'] = {}, accept = JSON_MEDIA_TYPE): HttpRequest {
  return { path, query, headers: { accept, 'x-github-api-version': API_VERSION } };
}

/** GitHub wants ISO 8601 instants to the second: `2024-01-31T12:00:00Z`. */
export const isoSecond = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const list = (v: string | null) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The missing permission, from the headers GitHub puts on a refusal: a classic token's scopes
 * (X-OAuth-Scopes) against the ones the endpoint accepts (X-Accepted-OAuth-Scopes); a
 * fine-grained token's missing permission (X-Accepted-GitHub-Permissions).
 */
export function missingScope(headers: Headers): string | undefined {
  const has = headers.get('x-oauth-scopes');
  const accepted = list(headers.get('x-accepted-oauth-scopes'));
  if (has !== null && accepted.length && !accepted.some((s) => list(has).includes(s))) {
    return `the token lacks the scope ${accepted.map((s) => `"${s}"`).join(' or ')} (it has: ${list(has).join(', ') || 'none'}): add it at https://github.com/settings/tokens`;
  }
  const permissions = headers.get('x-accepted-github-permissions');
  if (permissions) {
    return `the fine-grained token lacks the permission ${permissions.split(';').map((p) => `"${p.trim()}"`).join(' or ')}: add it at https://github.com/settings/personal-access-tokens`;
  }
  return undefined;
}

/**
 * GitHub's primary rate limit, spent: a 403 (or 429) with X-RateLimit-Remaining: 0. Core waits
 * for X-RateLimit-Reset when GitHub sends it; recorded answers without it (api.github.com in
 * 2013: test/api-recorded-pages.test.ts) end the run, and their advice must not send the user
 * after a new token: the token is fine, the hour's requests are spent.
 */
export function rateLimitSpent(headers: Headers): string | undefined {
  if (headers.get('x-ratelimit-remaining')?.trim() !== '0') return undefined;
  const reset = Number(headers.get('x-ratelimit-reset'));
  const when = reset > 1e9 ? `after ${new Date(reset * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}` : 'within the hour (GitHub did not say when it resets)';
  return `GitHub's rate limit is spent (X-RateLimit-Remaining: 0 of ${headers.get('x-ratelimit-limit') ?? '?'}), the token is not at fault: run again ${when}; what was read is kept`;
}

/** The advice of a refusal GitHub gives no reason for (bearerAuth's advice). */
export const REFUSED_HELP = `GitHub refused access: ${TOKEN_HELP}`;

/** What to do after a final refusal, added by ctx.http to the error (retries and waits are core's). */
export const GITHUB_ADVICE: Record<number, StatusAdvice> = {
  401: `GitHub rejected the token (expired or revoked?): ${TOKEN_HELP}`,
  // Only when the rate limit is spent or a scope is missing: a 403 that is a rate limit must not
  // read as a refusal (a plain refusal gets the token's advice, REFUSED_HELP, from core).
  403: (headers) => rateLimitSpent(headers) ?? missingScope(headers),
  429: (headers) => rateLimitSpent(headers),
  // GitHub hides what a token may not see behind a 404.
  404: (headers) => missingScope(headers),
};
