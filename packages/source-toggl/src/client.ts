/** Every Toggl Track API v9 path starts here (below TOGGL_BASE_URL). */
export const API = '/api/v9';

export const TOKEN_HELP = 'check TOGGL_API_TOKEN in .env (your token is at https://track.toggl.com/profile under "API Token"; resetting it there invalidates the old one)';

/** What to do after a final refusal, added by ctx.http to the error (retries and waits are core's). */
export const TOGGL_ADVICE: Record<number, string> = {
  401: `Toggl rejected the API token: ${TOKEN_HELP}`,
  403: `Toggl refused access: the token's user may not see this workspace; ${TOKEN_HELP}`,
  402: `Toggl's hourly API quota is spent. Run again later; the next run resumes from the saved cursor`,
};
