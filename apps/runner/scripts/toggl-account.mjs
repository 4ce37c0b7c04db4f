// A Toggl Track account for the kill hunt (kill-hunt.mjs --source toggl), served as Toggl's API
// v9 and Reports API v3 answer: the reference listings (the source's recorded fixtures), time
// entries by date window (newest first, at most 1,000 an answer) and by `since` (edits and
// deletions), and the detailed report (rows of one entry, 50 a page, X-Next-* headers). The
// entries are made from their index, so every request gets the same answer whenever it comes,
// whichever window or page a killed run resumes from. `version` 'v2' is the account later: a
// seventh of the entries edited, a thirteenth deleted and a tenth more, all modified at `editedAt`.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../../packages/source-toggl/test/fixtures/', import.meta.url);
const fixture = (name) => readFileSync(new URL(name, FIXTURES), 'utf8');
const WORKSPACE = 7234567; // the fixtures' workspace and user
const USER = 6382910;
const HOUR = 3_600_000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const day = (ms) => new Date(ms).toISOString().slice(0, 10);

export const TOKEN = '1971800d4d82861d8f2c1651fea4d212';
const AUTH = `Basic ${Buffer.from(`${TOKEN}:api_token`).toString('base64')}`;

/** `count` entries evenly from `from` to `to` (ms); `editedAt`: when v2's changes were made (after every run's cursor). */
export async function startTogglAccount({ count, from, to, editedAt }) {
  const step = Math.floor((to - from) / count);
  const entry = (i, version) => {
    const start = from + i * step;
    const duration = 600 + ((i * 7919) % 5400);
    const edited = version === 'v2' && (i % 7 === 0 || i % 13 === 0 || i >= count);
    return {
      id: 4_100_000_000 + i, workspace_id: WORKSPACE, project_id: i % 3 ? 203456789 : null, task_id: null, billable: i % 5 === 0,
      start: iso(start), stop: iso(start + duration * 1000), duration,
      description: version === 'v2' && i % 7 === 0 ? `entry ${i} (renamed)` : `entry ${i}`,
      tags: i % 4 ? ['admin'] : [], tag_ids: i % 4 ? [16234568] : [], duronly: true,
      at: edited ? iso(editedAt + i * 1000) : iso(start + duration * 1000 + 1000),
      server_deleted_at: version === 'v2' && i % 13 === 0 && i < count ? iso(editedAt + i * 1000) : null,
      user_id: USER, uid: USER, wid: WORKSPACE, pid: i % 3 ? 203456789 : null, permissions: null,
    };
  };
  const entries = (version) => {
    const all = [];
    for (let i = 0; i < (version === 'v2' ? count + Math.floor(count / 10) : count); i++) all.push(entry(i, version));
    return all;
  };
  const account = { version: 'v1', requests: 0 };
  const listings = { '/api/v9/me': fixture('me.json'), '/api/v9/me/workspaces': fixture('workspaces.json'), '/api/v9/me/projects': fixture('projects.json'), '/api/v9/me/clients': fixture('clients.json'), '/api/v9/me/tags': fixture('tags.json') };

  const answer = async (req) => {
    if (req.headers.authorization !== AUTH) return [401, 'Incorrect username and/or password'];
    const url = new URL(req.url, 'http://toggl');
    const q = Object.fromEntries(url.searchParams);
    if (req.method === 'GET' && listings[url.pathname]) return [200, listings[url.pathname]];
    const live = entries(account.version).filter((e) => !e.server_deleted_at);
    if (req.method === 'GET' && url.pathname === '/api/v9/me/time_entries') {
      if (q.since) return [200, entries(account.version).filter((e) => Date.parse(e.at) >= Number(q.since) * 1000)];
      const [s, e] = [Date.parse(q.start_date), Date.parse(q.end_date)];
      return [200, live.filter((x) => Date.parse(x.start) >= s && Date.parse(x.start) < e).reverse().slice(0, 1000)];
    }
    if (req.method === 'POST' && url.pathname === `/reports/api/v3/workspace/${WORKSPACE}/search/time_entries`) {
      let text = '';
      for await (const c of req) text += c;
      const body = JSON.parse(text);
      const rows = live.filter((x) => x.start.slice(0, 10) >= body.start_date && x.start.slice(0, 10) <= body.end_date);
      const first = (body.first_row_number ?? 1) - 1;
      const size = body.page_size ?? 50;
      const page = rows.slice(first, first + size).map((x, k) => ({
        user_id: USER, username: 'Ada Lovelace', project_id: x.project_id, task_id: null, billable: x.billable, description: x.description, tag_ids: x.tag_ids,
        billable_amount_in_cents: null, hourly_rate_in_cents: null, currency: 'EUR',
        time_entries: [{ id: x.id, seconds: x.duration, start: x.start, stop: x.stop, at: x.at }], row_number: first + k + 1,
      }));
      const next = rows[first + size];
      const headers = next ? { 'x-next-id': String(next.id), 'x-next-row-number': String(first + size + 1), 'x-next-timestamp': String(Date.parse(next.start) / 1000), 'x-page-size': String(size) } : {};
      return [200, page, headers];
    }
    return [404, `no such path: ${req.method} ${url.pathname}`];
  };

  const server = createServer((req, res) => {
    account.requests++;
    answer(req).then(
      ([status, body, headers = {}]) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'text/plain', date: new Date().toUTCString(), ...headers });
        res.end(text);
      },
      (err) => {
        res.writeHead(500);
        res.end(String(err));
      },
    );
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return Object.assign(account, {
    url: `http://127.0.0.1:${server.address().port}`,
    firstDay: day(from),
    close: () => new Promise((ok) => server.close(ok)),
  });
}
