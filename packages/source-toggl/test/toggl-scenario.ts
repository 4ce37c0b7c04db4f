import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture, Scenario } from '@bronze/testkit';

export const TOKEN = '1971800d4d82861d8f2c1651fea4d212'; // the same value /me returns in api_token
export const AUTH = `Basic ${Buffer.from(`${TOKEN}:api_token`).toString('base64')}`;
export const START_DATE = '2024-01-31';

const body = (file: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', file), 'utf8'));
const TE = '/api/v9/me/time_entries';
/** Windows are 30 days from START_DATE (TOGGL_WINDOW_DAYS=30): the first two hold the entries. */
export const WINDOW_1 = '2024-03-01T00:00:00Z';
export const WINDOW_2 = '2024-03-31T00:00:00Z';

type Faults = Partial<Record<'me' | 'workspaces' | 'projects' | 'clients' | 'tags' | 'window1' | 'window2' | 'since' | 'reports', Fixture[]>>;
/** The detailed report of the fixtures' one workspace (7234567). */
export const REPORTS_SEARCH = '/reports/api/v3/workspace/7234567/search/time_entries';

export function env(url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { TOGGL_API_TOKEN: TOKEN, TOGGL_BASE_URL: url, TOGGL_START_DATE: START_DATE, TOGGL_WINDOW_DAYS: '30', ...extra };
}

/**
 * A Toggl account as the v9 API serves it. Reference listings answer every run; the
 * backfill finds entries in the first two windows and none after; `since` answers
 * `sinceBody` (nothing new by default). `faults` are answered before the good response.
 */
export function togglScenario(o: { faults?: Faults; sinceBody?: unknown; once?: boolean; quota?: { remaining: number; resetsIn: number } } = {}): Scenario {
  const f = o.faults ?? {};
  const times = o.once ? 1 : ('always' as const);
  const good = (name: string, path: string, file: string, query?: Fixture['request']['query']): Fixture => ({
    name, request: { path, query }, response: { body: body(file), headers: { 'x-toggl-request-id': `req-${name}`, date: new Date().toUTCString() } }, times,
  });
  const scenario: Scenario = {
    expectAuthorization: AUTH,
    fixtures: [
      ...(f.me ?? []), good('me', '/api/v9/me', 'me.json'),
      ...(f.workspaces ?? []), good('workspaces', '/api/v9/me/workspaces', 'workspaces.json'),
      ...(f.projects ?? []), good('projects', '/api/v9/me/projects', 'projects.json', { include_archived: 'true' }),
      ...(f.clients ?? []), good('clients', '/api/v9/me/clients', 'clients.json'),
      ...(f.tags ?? []), good('tags', '/api/v9/me/tags', 'tags.json'),
      ...(f.window1 ?? []), good('window1', TE, 'time-entries-window-1.json', { start_date: WINDOW_1, end_date: '2024-03-31T00:00:00Z' }),
      ...(f.window2 ?? []), good('window2', TE, 'time-entries-window-2.json', { start_date: WINDOW_2, end_date: '2024-04-30T00:00:00Z' }),
      { name: 'empty windows', request: { path: TE, query: { start_date: '*', end_date: '*' } }, response: { body: [] }, times: 'always' },
      ...(f.since ?? []),
      { name: 'since', request: { path: TE, query: { since: { regex: '^\\d+$' } } }, response: { body: o.sinceBody ?? [], headers: { date: new Date().toUTCString() } }, times: 'always' },
      // report_time_entries asks who the user is and their workspaces once, then the reports.
      good('account me', '/api/v9/me', 'me.json'),
      good('account workspaces', '/api/v9/me/workspaces', 'workspaces.json'),
      ...(f.reports ?? []),
      { name: 'reports', request: { method: 'POST', path: REPORTS_SEARCH, body: { user_ids: '[6382910]', grouped: 'false', start_date: '*', end_date: '*' } }, response: { body: [] }, times: 'always' },
    ],
  };
  return o.quota ? withQuotaHeaders(scenario, o.quota) : scenario;
}

/**
 * Toggl sends X-Toggl-Quota-Remaining and X-Toggl-Quota-Resets-In on every response, good
 * or bad; a fixture's own quota headers (a spent quota's 402) win.
 */
export function withQuotaHeaders(s: Scenario, q: { remaining: number; resetsIn: number }): Scenario {
  const headers = { 'x-toggl-quota-remaining': String(q.remaining), 'x-toggl-quota-resets-in': String(q.resetsIn) };
  return { ...s, fixtures: s.fixtures.map((f) => ({ ...f, response: { ...f.response, headers: { ...headers, ...f.response?.headers } } })) };
}

export const sinceChanges = () => body('time-entries-since-changes.json');
