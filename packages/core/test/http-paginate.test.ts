import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dateWindows } from '../src/http/date-windows.js';
import { nextLink } from '../src/http/paginate.js';
import type { HttpRequest, HttpResponse } from '../src/http/types.js';
import { recordingClient, startFixtureServer, type FixtureServer } from './http-helpers.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.verify());
afterAll(() => server.close());

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('ctx.http.records paging', () => {
  it('page/size: stops at a short page; each record carries the api facts of its response', async () => {
    server.load({
      fixtures: [
        { request: { path: '/items', query: { page: '1', per_page: '2' } }, response: { body: [{ id: 1 }, { id: 2 }], headers: { 'x-request-id': 'p1' } } },
        { request: { path: '/items', query: { page: '2', per_page: '2' } }, response: { body: [{ id: 3 }], headers: { 'x-request-id': 'p2' } } },
      ],
    });
    const { http } = recordingClient(server.url);
    const got = await collect(http.records<{ id: number }>({ path: '/items' }, { paging: { type: 'page', size: 2 } }));
    expect(got.map((e) => [e.record.id, e.meta.api?.requestId, e.meta.api?.endpoint])).toEqual([
      [1, 'p1', '/items?page=1&per_page=2'],
      [2, 'p1', '/items?page=1&per_page=2'],
      [3, 'p2', '/items?page=2&per_page=2'],
    ]);
  });

  it('offset/limit: stops at an empty page', async () => {
    server.load({
      fixtures: [
        { request: { path: '/o', query: { offset: '0', limit: '2' } }, response: { body: { data: [{ id: 1 }, { id: 2 }] } } },
        { request: { path: '/o', query: { offset: '2', limit: '2' } }, response: { body: { data: [] } } },
      ],
    });
    const { http } = recordingClient(server.url);
    const got = await collect(http.records<{ id: number }>({ path: '/o' }, { paging: { type: 'offset', size: 2 } }));
    expect(got.map((e) => e.record.id)).toEqual([1, 2]);
  });

  it('cursor: follows the cursor the body names until there is none', async () => {
    server.load({
      fixtures: [
        { request: { path: '/c' }, response: { body: { items: [{ id: 'a' }], next: 'k2' } } },
        { request: { path: '/c', query: { cursor: 'k2' } }, response: { body: { items: [{ id: 'b' }], next: null } } },
      ],
    });
    const { http } = recordingClient(server.url);
    const got = await collect(http.records<{ id: string }>({ path: '/c' }, { paging: { type: 'cursor', param: 'cursor', next: (b) => b.next } }));
    expect(got.map((e) => e.record.id)).toEqual(['a', 'b']);
  });

  it('Link header: follows rel="next"', async () => {
    server.load({ fixtures: [] });
    const next = `${server.url}/l?page=2`;
    server.load({
      fixtures: [
        { request: { path: '/l', query: { q: 'x' } }, response: { body: [{ id: 1 }], headers: { link: `<${next}>; rel="next", <${next}>; rel="last"` } } },
        { request: { path: '/l', query: { page: '2' } }, response: { body: [{ id: 2 }], headers: { link: `<${server.url}/l?page=1>; rel="prev"` } } },
      ],
    });
    const { http } = recordingClient(server.url);
    const got = await collect(http.records<{ id: number }>({ path: '/l', query: { q: 'x' } }, { paging: { type: 'link' } }));
    expect(got.map((e) => e.record.id)).toEqual([1, 2]);
  });

  it('an items hook that keeps part of a page does not end the listing: paging counts the page as listed', async () => {
    // GitHub's /issues mixes issues and pull requests; a page of only pull requests kept
    // nothing for the issues stream and ended its Link listing there (octokit/fixtures' real
    // pages, packages/source-github/test/api-recorded.test.ts). A full page/size page kept in
    // part looked like the last page the same way.
    const next = `${server.url}/mixed?page=2`;
    server.load({
      fixtures: [
        { request: { path: '/mixed' }, response: { body: [{ id: 1, pr: true }, { id: 2, pr: true }], headers: { link: `<${next}>; rel="next"` } } },
        { request: { path: '/mixed', query: { page: '2' } }, response: { body: [{ id: 3 }, { id: 4, pr: true }] } },
        { request: { path: '/paged', query: { page: '1', per_page: '2' } }, response: { body: [{ id: 5 }, { id: 6, pr: true }] } },
        { request: { path: '/paged', query: { page: '2', per_page: '2' } }, response: { body: [{ id: 7 }] } },
      ],
    });
    const { http } = recordingClient(server.url);
    const issuesOnly = (body: { id: number; pr?: boolean }[]) => body.filter((r) => !r.pr);
    expect((await collect(http.records<{ id: number }>({ path: '/mixed' }, { paging: { type: 'link' }, items: issuesOnly }))).map((e) => e.record.id)).toEqual([3]);
    expect((await collect(http.records<{ id: number }>({ path: '/paged' }, { paging: { type: 'page', size: 2 }, items: issuesOnly }))).map((e) => e.record.id)).toEqual([5, 7]);
  });

  it('next: the next request from the answer (a header cursor into a POST body), on to another listing after an empty page', async () => {
    server.load({
      fixtures: [
        { request: { method: 'POST', path: '/ws/1/search', body: { start_date: '2024-01-01', first_row_number: { absent: true } } }, response: { body: [{ id: 1 }], headers: { 'x-next-row-number': '2' } } },
        { request: { method: 'POST', path: '/ws/1/search', body: { start_date: '2024-01-01', first_row_number: '2' } }, response: { body: [{ id: 2 }] } },
        { request: { method: 'POST', path: '/ws/2/search', body: { first_row_number: { absent: true } } }, response: { body: [] } },
        { request: { method: 'POST', path: '/ws/3/search', body: { first_row_number: { absent: true } } }, response: { body: [{ id: 3 }] } },
      ],
    });
    const { http } = recordingClient(server.url);
    const workspaces = ['/ws/1/search', '/ws/2/search', '/ws/3/search'];
    const next = (req: HttpRequest, _body: unknown, res: HttpResponse): HttpRequest | undefined => {
      const row = res.headers.get('x-next-row-number');
      const { first_row_number: _, ...rest } = req.body as Record<string, unknown>;
      if (row) return { ...req, body: { ...rest, first_row_number: Number(row) } };
      const path = workspaces[workspaces.indexOf(req.path) + 1];
      return path ? { ...req, path, body: rest } : undefined;
    };
    const got = await collect(http.records<{ id: number }>({ method: 'POST', path: workspaces[0], body: { start_date: '2024-01-01' } }, { paging: { type: 'next', next } }));
    expect(got.map((e) => e.record.id)).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.body)).toEqual([
      { start_date: '2024-01-01' },
      { start_date: '2024-01-01', first_row_number: 2 },
      { start_date: '2024-01-01' },
      { start_date: '2024-01-01' },
    ]);
  });

  it('next: a next request equal to the one answered (a repeated cursor) fails the listing instead of looping', async () => {
    server.load({ fixtures: [{ request: { method: 'POST', path: '/r', body: { first_row_number: '51' } }, response: { body: [{ id: 1 }], headers: { 'x-next-row-number': '51' } }, times: 'always' }] });
    const { http } = recordingClient(server.url);
    const next = (req: HttpRequest, _b: unknown, res: HttpResponse) => ({ ...req, body: { first_row_number: Number(res.headers.get('x-next-row-number')) } });
    await expect(collect(http.records({ method: 'POST', path: '/r', body: { first_row_number: 51 } }, { paging: { type: 'next', next } }))).rejects.toThrow(/repeated its cursor/);
    expect(server.requests).toHaveLength(1);
  });

  it('date windows: one request per window, the window given to meta()', async () => {
    server.load({
      fixtures: [
        { request: { path: '/w', query: { start_date: '2024-01-01', end_date: '2024-01-11' } }, response: { body: [{ id: 1 }] } },
        { request: { path: '/w', query: { start_date: '2024-01-11', end_date: '2024-01-15' } }, response: { body: [] } },
      ],
    });
    const { http } = recordingClient(server.url);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const got = await collect(
      http.records<{ id: number }>(
        { path: '/w' },
        {
          paging: { type: 'windows', from: new Date('2024-01-01'), to: new Date('2024-01-15'), stepMs: 10 * 86_400_000, query: (w) => ({ start_date: day(w.start), end_date: day(w.end) }) },
          meta: (_r, _res, page) => ({ metadata: { window_end: page.window?.end.toISOString() } }),
        },
      ),
    );
    expect(got.map((e) => e.meta.metadata)).toEqual([{ window_end: '2024-01-11T00:00:00.000Z' }]);
  });

  it('makes no request beyond what the consumer reads', async () => {
    server.load({ fixtures: [{ request: { path: '/items', query: { page: '1', per_page: '1' } }, response: { body: [{ id: 1 }] } }] });
    const { http } = recordingClient(server.url);
    for await (const _ of http.records({ path: '/items' }, { paging: { type: 'page', size: 1 } })) break;
    expect(server.requests).toHaveLength(1);
  });

  it('ends quietly when ctx.signal aborts, so core commits what was read', async () => {
    server.load({ fixtures: [{ request: { path: '/items', query: { page: '1', per_page: '1' } }, response: { body: [{ id: 1 }] } }] });
    const ac = new AbortController();
    const { http } = recordingClient(server.url, { signal: ac.signal });
    const got: unknown[] = [];
    for await (const e of http.records({ path: '/items' }, { paging: { type: 'page', size: 1 } })) {
      got.push(e.record);
      ac.abort(new Error('Ctrl-C'));
    }
    expect(got).toEqual([{ id: 1 }]);
    expect(server.requests).toHaveLength(1);
  });

  it('a body without a list is a clear error', async () => {
    server.load({ fixtures: [{ request: { path: '/x' }, response: { body: { hello: 1 } } }] });
    const { http } = recordingClient(server.url);
    await expect(collect(http.records({ path: '/x' }))).rejects.toThrow('/x: the response holds no list of records (pass options.items to say where it is)');
  });
});

describe('helpers', () => {
  it('nextLink reads rel="next" only', () => {
    expect(nextLink('<https://a/x?page=3>; rel="next", <https://a/x?page=9>; rel="last"')).toBe('https://a/x?page=3');
    expect(nextLink('<https://a/x?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
    // A URI may hold commas (RFC 8288: the URI is what is inside <>): splitting the header on
    // them lost the next page of GitHub's repos listing, whose query is affiliation=owner,collaborator,…
    const comma = 'https://api.github.com/user/repos?affiliation=owner,collaborator,organization_member&per_page=100&page=2';
    expect(nextLink(`<${comma}>; rel="next", <${comma.replace('page=2', 'page=5')}>; rel="last"`)).toBe(comma);
    // GitHub's shape on a middle page (prev and first too), and on the last page (no next).
    const middle = '<https://api.github.com/user/repos?page=1>; rel="prev", <https://api.github.com/user/repos?page=3>; rel="next", <https://api.github.com/user/repos?page=5>; rel="last", <https://api.github.com/user/repos?page=1>; rel="first"';
    expect(nextLink(middle)).toBe('https://api.github.com/user/repos?page=3');
    expect(nextLink('<https://api.github.com/user/repos?page=4>; rel="prev", <https://api.github.com/user/repos?page=1>; rel="first"')).toBeUndefined();
    // Several relation types in one rel, and a parameter before rel.
    expect(nextLink('<https://a/x?page=2>; title="more"; rel="next last"')).toBe('https://a/x?page=2');
    expect(nextLink('<https://a/x?page=2>; rel=nextpage')).toBeUndefined();
  });

  it('dateWindows covers [from, to) without gaps or overlaps', () => {
    const w = dateWindows(new Date(0), new Date(25), 10);
    expect(w.map((x) => [x.start.getTime(), x.end.getTime()])).toEqual([[0, 10], [10, 20], [20, 25]]);
  });
});
