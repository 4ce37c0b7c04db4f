import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture, Scenario } from '@bronze/testkit';

/**
 * Bodies the real Toggl API sent (test/fixtures/README.md: go-api-libs/toggl's VCR recordings
 * of one account), served byte for byte: the text, never a re-serialised value.
 */
const DIR = join(import.meta.dirname, 'fixtures', 'recorded');
export const recorded = (file: string): string => readFileSync(join(DIR, file), 'utf8');

/** The stream each recorded body feeds, and the request the source makes for it. */
export const REFERENCE = [
  { stream: 'me', file: 'me.json', path: '/api/v9/me' },
  { stream: 'workspaces', file: 'workspaces.json', path: '/api/v9/me/workspaces' },
  { stream: 'projects', file: 'projects.json', path: '/api/v9/me/projects', query: { include_archived: 'true' } },
  { stream: 'clients', file: 'clients.json', path: '/api/v9/me/clients' },
  { stream: 'tags', file: 'tags.json', path: '/api/v9/me/tags' },
] as const;

/** The entries start from 2024-12-05 to 2024-12-16: 15-day windows from 2024-12-01 put them in the first two. */
export const RECORDED_START = '2024-12-01';
export const recordedEnv = (url: string): NodeJS.ProcessEnv => ({ TOGGL_API_TOKEN: 'recorded-token', TOGGL_BASE_URL: url, TOGGL_START_DATE: RECORDED_START, TOGGL_WINDOW_DAYS: '15' });
export const RECORDED_AUTH = `Basic ${Buffer.from('recorded-token:api_token').toString('base64')}`;

const TE = '/api/v9/me/time_entries';

/** Windows 1 and 2 answer the given texts, every later window `[]`, `since` answers `since`. */
export function recordedScenario(o: { window1: string; window2?: string; since?: string }): Scenario {
  const text = (name: string, request: Fixture['request'], body: string): Fixture => ({ name, request, response: { text: body }, times: 'always' });
  return {
    expectAuthorization: RECORDED_AUTH,
    fixtures: [
      ...REFERENCE.map((r) => text(r.stream, { path: r.path, query: 'query' in r ? r.query : undefined }, recorded(r.file))),
      text('window 1', { path: TE, query: { start_date: '2024-12-01T00:00:00Z', end_date: '2024-12-16T00:00:00Z' } }, o.window1),
      text('window 2', { path: TE, query: { start_date: '2024-12-16T00:00:00Z', end_date: '2024-12-31T00:00:00Z' } }, o.window2 ?? '[]'),
      text('later windows', { path: TE, query: { start_date: '*', end_date: '*' } }, '[]'),
      text('since', { path: TE, query: { since: { regex: '^\\d+$' } } }, o.since ?? '[]'),
      // report_time_entries: none here (test/toggl-report-history.test.ts serves recorded reports).
      text('reports', { method: 'POST', path: '/reports/api/v3/workspace/2230580/search/time_entries' }, '[]'),
    ],
  };
}

/**
 * Elements of a recorded list, counted twice and independently of the source: by JSON.parse,
 * and on the text (each element of these compact bodies opens with `{"id":`, and no nested
 * object of theirs has an `id`). The two must agree before a test trusts the count.
 */
export function elementsOf(text: string): { elements: Record<string, unknown>[]; onText: number } {
  const parsed: unknown = JSON.parse(text);
  const elements = (Array.isArray(parsed) ? parsed : [parsed]) as Record<string, unknown>[];
  return { elements, onText: text.split('{"id":').length - 1 };
}
