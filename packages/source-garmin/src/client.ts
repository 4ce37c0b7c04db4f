import { ConfigError, HttpError, type HttpRequest, type HttpResponse, type SourceContext } from '@bronze/core';
import type { GarminConfig } from './config.js';
import { sessionFor } from './auth/session.js';
import { TOKEN_HELP } from './auth/token-store.js';

/**
 * Runs `call` with a valid Authorization header. A 401 means the access token died early
 * (revoked, clock skew): the token is renewed once and the call made again; a second 401
 * is a real refusal. Retries, backoff on 429/5xx and the rate budget are ctx.http's.
 */
export async function withAuth<T>(config: GarminConfig, ctx: SourceContext, call: (authorization: string) => Promise<T>): Promise<T> {
  const session = sessionFor(config, ctx);
  try {
    return await call(await session.authorization());
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 401) throw err;
  }
  try {
    return await call(await session.authorization(true));
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) {
      throw new ConfigError(`Garmin Connect refused a freshly renewed token (401 on ${err.endpoint}); sign in again.\n${TOKEN_HELP}`);
    }
    throw err;
  }
}

/** One authenticated Connect API call. */
export function garminJson<T>(config: GarminConfig, ctx: SourceContext, req: HttpRequest): Promise<HttpResponse<T>> {
  return withAuth(config, ctx, (authorization) => ctx.http.json<T>({ ...req, headers: { ...req.headers, authorization } }));
}

const displayNames = new WeakMap<SourceContext, Promise<string>>();

/** The account's display name (some endpoints take it in their path); one request per run. */
export function displayName(config: GarminConfig, ctx: SourceContext): Promise<string> {
  let p = displayNames.get(ctx);
  if (!p) {
    p = garminJson<{ displayName?: string }>(config, ctx, { path: 'userprofile-service/socialProfile' }).then((res) => {
      if (!res.body?.displayName) throw new Error('userprofile-service/socialProfile: the answer names no displayName');
      return res.body.displayName;
    });
    p.catch(() => displayNames.delete(ctx));
    displayNames.set(ctx, p);
  }
  return p;
}
