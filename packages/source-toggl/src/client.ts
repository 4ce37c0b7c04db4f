import { BronzeError, HttpError, type Emitted, type HttpRequest, type HttpResponse, type RecordsOptions, type SourceContext } from '@bronze/core';

/** Every Toggl Track API v9 path starts here (below TOGGL_BASE_URL). */
export const API = '/api/v9';

const TOKEN_HELP = 'check TOGGL_API_TOKEN in .env (your token is at https://track.toggl.com/profile under "API Token"; resetting it there invalidates the old one)';

/** Turns an HTTP failure into advice about what to do; other errors pass unchanged. */
export function explainTogglError(err: unknown): unknown {
  if (!(err instanceof HttpError)) return err;
  if (err.status === 401) return new BronzeError(`Toggl rejected the API token (401) at ${err.endpoint}: ${TOKEN_HELP}`, 1, { cause: err });
  if (err.status === 403) return new BronzeError(`Toggl refused access (403) to ${err.endpoint}: the token's user may not see this workspace; ${TOKEN_HELP}`, 1, { cause: err });
  if (err.status === 402) return new BronzeError(`Toggl's hourly API quota is spent (402) at ${err.endpoint}: ${err.message}. Run again later; the next run resumes from the saved cursor`, 1, { cause: err });
  return err;
}

export async function togglResponse<T>(ctx: SourceContext, request: HttpRequest): Promise<HttpResponse<T>> {
  try {
    return await ctx.http.json<T>(request);
  } catch (err) {
    throw explainTogglError(err);
  }
}

export async function togglJson<T>(ctx: SourceContext, request: HttpRequest): Promise<T> {
  return (await togglResponse<T>(ctx, request)).body;
}

/** ctx.http.records with Toggl's error advice. */
export async function* togglRecords<T>(ctx: SourceContext, request: HttpRequest, options?: RecordsOptions<T>): AsyncGenerator<Emitted<T>> {
  try {
    yield* ctx.http.records<T>(request, options);
  } catch (err) {
    throw explainTogglError(err);
  }
}

/**
 * Toggl includes an `api_token` field in /me (the user's own token) and in workspaces
 * (a deprecated workspace token). Secrets never reach a bronze row, so that one field is
 * masked; everything else is stored exactly as received.
 */
export function withoutCredentials<T>(record: T): T {
  if (record && typeof record === 'object' && !Array.isArray(record) && 'api_token' in record) {
    const value = (record as Record<string, unknown>).api_token;
    if (value !== null && value !== '') return { ...record, api_token: '[REDACTED]' };
  }
  return record;
}
