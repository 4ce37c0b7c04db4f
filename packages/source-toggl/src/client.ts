/** Every Toggl Track API v9 path starts here (below TOGGL_BASE_URL). */
export const API = '/api/v9';

export const TOKEN_HELP = 'check TOGGL_API_TOKEN in .env (your token is at https://track.toggl.com/profile under "API Token"; resetting it there invalidates the old one)';

/** What to do after a final refusal, added by ctx.http to the error (retries and waits are core's). */
export const TOGGL_ADVICE: Record<number, string> = {
  401: `Toggl rejected the API token: ${TOKEN_HELP}`,
  403: `Toggl refused access: the token's user may not see this workspace; ${TOKEN_HELP}`,
  // Toggl's quota answer is a 402 ("You have hit your hourly limit for API calls…"); its API
  // reference also lists 402 "Workspace needs to have this feature enabled", which no wait mends.
  402: `Toggl's hourly API quota is spent: run again later, the next run resumes from the saved cursor. If the answer says instead that the workspace needs a feature enabled, its plan lacks what this stream reads: leave the stream out with --streams`,
};
