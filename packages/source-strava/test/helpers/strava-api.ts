import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A real HTTP server playing Strava over a data set the test owns: the token endpoint (code
 * and refresh grants, rotating the refresh token as Strava does), and the API v3 endpoints the
 * source reads, honouring `after`/`page`/`per_page`, checking the bearer token on every request
 * and reporting usage in Strava's rate-limit headers. Bodies are built from the examples of
 * Strava's API reference (test/fixtures/api, see the README there).
 */
const API = join(import.meta.dirname, '..', 'fixtures', 'api');
const load = (name: string) => JSON.parse(readFileSync(join(API, name), 'utf8'));
export const ATHLETE = load('athlete.json');
const SUMMARIES: Record<string, unknown>[] = load('activities.json');
const DETAIL: Record<string, unknown> = load('activity-detail.json');
const GEAR: Record<string, unknown> = load('gear.json');
const STREAM_SET: Record<string, unknown> = load('streams-key-by-type.json');

/** The gear a run learns of: the athlete's bikes and shoes (the example is a detailed athlete) and the gear_id of the activities. */
export const GEAR_IDS = [...new Set([...ATHLETE.bikes, ...ATHLETE.shoes].map((g: { id: string }) => g.id).concat(SUMMARIES.map((a) => a.gear_id as string).filter(Boolean)))].sort();

export interface Activity {
  id: number;
  start_date: string;
  name: string;
  manual?: boolean;
  kudos_count?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
}

export interface StravaSim {
  url: string;
  baseUrl: string;
  requests: LoggedRequest[];
  activities: Activity[];
  /** The valid tokens; the refresh grant rotates both. */
  token: { access: string; refresh: string; expiresAt: number };
  code: string;
  /** Requests counted in the current 15-minute and daily windows, and the limits reported. */
  usage: { fifteen: number; day: number; limits: [number, number] };
  refuseRefresh: boolean;
  /** Called on every API request (not the token endpoint), before it is answered. */
  onApiRequest?: (r: LoggedRequest) => void;
  close(): Promise<void>;
}

export function summaryOf(a: Activity): Record<string, unknown> {
  return { ...SUMMARIES[a.id % SUMMARIES.length], id: a.id, name: a.name, start_date: a.start_date, manual: a.manual ?? false, kudos_count: a.kudos_count ?? 0 };
}

export function activitiesFrom(first: string, n: number, stepHours = 36): Activity[] {
  return Array.from({ length: n }, (_, i) => ({ id: 9_000_000_001 + i, start_date: new Date(Date.parse(first) + i * stepHours * 3_600_000).toISOString().replace('.000Z', 'Z'), name: `Activity ${i + 1}` }));
}

export async function startStravaSim(activities: Activity[]): Promise<StravaSim> {
  let n = 0;
  const sim = {
    requests: [] as LoggedRequest[],
    activities,
    token: { access: 'access-0', refresh: 'refresh-0', expiresAt: 4_102_444_800 },
    code: 'code-from-strava',
    usage: { fifteen: 0, day: 0, limits: [100, 1000] as [number, number] },
    refuseRefresh: false,
  } as Omit<StravaSim, 'url' | 'baseUrl' | 'close'>;
  const rotate = () => {
    n++;
    sim.token = { access: `access-${n}`, refresh: `refresh-${n}`, expiresAt: Math.floor(Date.now() / 1000) + 21_600 };
    return { token_type: 'Bearer', access_token: sim.token.access, expires_at: sim.token.expiresAt, expires_in: 21_600, refresh_token: sim.token.refresh };
  };
  const answer = (url: URL, method: string, form: URLSearchParams, authorization?: string): { status?: number; body: unknown; headers?: Record<string, string> } => {
    if (url.pathname === '/oauth/token' && method === 'POST') {
      const grant = form.get('grant_type');
      if (form.get('client_id') !== 'client-1' || form.get('client_secret') !== 'client-secret-xyz') return { status: 401, body: { message: 'Bad Request', errors: [{ resource: 'Application', field: 'client_id', code: 'invalid' }] } };
      if (grant === 'refresh_token' && !sim.refuseRefresh && form.get('refresh_token') === sim.token.refresh) return { body: rotate() };
      if (grant === 'authorization_code' && form.get('code') === sim.code) return { body: { ...rotate(), athlete: { id: ATHLETE.id, username: ATHLETE.username, resource_state: 2 } } };
      return { status: 400, body: { message: 'Bad Request', errors: [{ resource: grant === 'refresh_token' ? 'RefreshToken' : 'AuthorizationCode', field: grant === 'refresh_token' ? 'refresh_token' : 'code', code: 'invalid' }] } };
    }
    const path = url.pathname.replace(/^\/api\/v3\//, '');
    if (authorization !== `Bearer ${sim.token.access}`) return { status: 401, body: { message: 'Authorization Error', errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }] } };
    sim.usage.fifteen++;
    sim.usage.day++;
    const [l15, lDay] = sim.usage.limits;
    const headers = {
      'x-ratelimit-limit': `${l15 * 2},${lDay * 2}`, 'x-ratelimit-usage': `${sim.usage.fifteen},${sim.usage.day}`,
      'x-readratelimit-limit': `${l15},${lDay}`, 'x-readratelimit-usage': `${sim.usage.fifteen},${sim.usage.day}`,
    };
    const byId = (id: string) => sim.activities.find((a) => String(a.id) === id);
    let m: RegExpMatchArray | null;
    if (path === 'athlete') return { body: ATHLETE, headers };
    if ((m = path.match(/^gear\/([bg]\d+)$/))) return { body: { ...GEAR, id: m[1] }, headers };
    if (path === 'athlete/activities') {
      const after = Number(url.searchParams.get('after') ?? 0);
      const size = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const listed = [...sim.activities].filter((a) => Date.parse(a.start_date) / 1000 > after).sort((a, b) => a.start_date.localeCompare(b.start_date));
      return { body: listed.slice((page - 1) * size, page * size).map(summaryOf), headers };
    }
    if ((m = path.match(/^activities\/(\d+)$/))) {
      const a = byId(m[1]);
      return a ? { body: { ...DETAIL, ...summaryOf(a), resource_state: 3 }, headers } : { status: 404, body: { message: 'Record Not Found', errors: [{ resource: 'Activity', field: 'id', code: 'invalid' }] }, headers };
    }
    if ((m = path.match(/^activities\/(\d+)\/streams$/))) return byId(m[1]) ? { body: STREAM_SET, headers } : { status: 404, body: { message: 'Record Not Found', errors: [] }, headers };
    return { status: 404, body: { message: 'Record Not Found', errors: [{ resource: 'resource', field: 'path', code: 'invalid' }] } };
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const logged = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization };
      sim.requests.push(logged);
      if (url.pathname.startsWith('/api/')) sim.onApiRequest?.(logged);
      const a = answer(url, logged.method, new URLSearchParams(Buffer.concat(chunks).toString('utf8')), req.headers.authorization);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...a.headers }).end(JSON.stringify(a.body));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(sim, {
    url,
    baseUrl: `${url}/api/v3`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  });
}
