import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { defineSource, emit, ingest, isEmitted, redact, redactUrl, registerSecret, silentLogger, Type } from '../src/index.js';
import { withoutEchoedSecrets } from '../src/echoed-secrets.js';

describe('redact by pattern', () => {
  it('removes URL passwords even from URLs that do not parse', () => {
    for (const url of ['postgres://u:pw-bad-port-1@localhost:99999/db', 'postgres://u:pw-bracket-2@[::1/db', 'postgres://u:pw/with@at-3@host/db']) {
      expect(() => new URL(url)).toThrow(); // the cases a parser cannot help with
      const shown = redact(`cannot connect to PostgreSQL at ${url}: Invalid URL`);
      expect(shown).not.toMatch(/pw-|pw\//);
      expect(shown).toContain('postgres://u:***@');
      expect(redactUrl(url)).toContain('postgres://u:***@');
    }
    expect(redact('http://alice:s3cr3t@proxy.local:8080/v9')).toBe('http://alice:***@proxy.local:8080/v9');
    expect(redact('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('removes secret query and keyword parameters, Authorization and Bearer values, JSON secret keys', () => {
    expect(redact('GET /x?password=hunter2&page=2&access_token=a.b&client_secret=zz')).toBe('GET /x?password=[REDACTED]&page=2&access_token=[REDACTED]&client_secret=[REDACTED]');
    expect(redact('host=db password=hunter2 user=me')).toBe('host=db password=[REDACTED] user=me');
    expect(redact('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic [REDACTED]');
    expect(redact('sent Bearer eyJhbGciOi.x-y_z now')).toBe('sent Bearer [REDACTED] now');
    expect(redact('answered 400: {"refresh_token":"r-1","access_token" : "a\\"b","id":7}')).toBe('answered 400: {"refresh_token":"[REDACTED]","access_token" : "[REDACTED]","id":7}');
    expect(redact('the basic plan costs 5')).toBe('the basic plan costs 5');
  });
});

describe('withoutEchoedSecrets', () => {
  it('replaces secret keys at any depth, names them as JSON Pointers, leaves the input untouched', () => {
    const record = { id: 1, user: { apiToken: 'tok-1', name: 'n' }, links: [{ refresh_token: 'r-1' }, { refresh_token: '' }], 'a/b': { password: 'p' }, token_type: 'bearer' };
    const before = JSON.stringify(record);
    const out = withoutEchoedSecrets(record);
    expect(isEmitted(out)).toBe(true);
    if (!isEmitted(out)) return;
    expect(out.record).toEqual({ id: 1, user: { apiToken: '[REDACTED]', name: 'n' }, links: [{ refresh_token: '[REDACTED]' }, { refresh_token: '' }], 'a/b': { password: '[REDACTED]' }, token_type: 'bearer' });
    expect(out.meta.metadata).toEqual({ redacted_paths: ['/user/apiToken', '/links/0/refresh_token', '/a~1b/password'] });
    expect(JSON.stringify(record)).toBe(before);
  });

  it('returns a record without such keys as it is, and keeps the metadata of an emitted one', () => {
    const plain = { id: 1, next_page_token: 'abc', tokens: 3 };
    expect(withoutEchoedSecrets(plain)).toBe(plain);
    const out = withoutEchoedSecrets(emit({ access_token: 'a' }, { stream: 's', metadata: { line: 3 } }));
    expect(isEmitted(out) && out.meta).toEqual({ stream: 's', metadata: { line: 3, redacted_paths: ['/access_token'] } });
  });

  it('walks a record nested 20,000 levels deep without recursion (issue 17: a deep API record never ends the run)', () => {
    const deep = (leaf: unknown) => {
      let v: unknown = leaf;
      for (let i = 0; i < 20_000; i++) v = i % 2 ? [v] : { k: v };
      return { id: 1, v };
    };
    const plain = deep(1);
    expect(withoutEchoedSecrets(plain)).toBe(plain);
    const out = withoutEchoedSecrets(deep({ password: 'p' }));
    if (!isEmitted(out)) throw new Error('the secret at depth 20,000 was not found');
    const paths = (out.meta.metadata as { redacted_paths: string[] }).redacted_paths;
    expect(paths).toEqual([`/v${'/0/k'.repeat(10_000)}/password`]);
    let v = (out.record as { v: unknown }).v;
    for (let i = 0; i < 20_000; i++) v = i % 2 ? (v as { k: unknown }).k : (v as unknown[])[0];
    expect(v).toEqual({ password: '[REDACTED]' });
  });
});

const SECRET = 'echoed-secret-9d2f71';
const HEADER_SECRET = 'header-secret-44c1a0';

describeEachEngine('API rows keep no echoed secret', (db) => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());

  it('stores the record with the secret keys replaced and marked, and scrubs api_request_id and api_rate_limit_info', async () => {
    registerSecret(HEADER_SECRET);
    server.load({
      fixtures: [{
        request: { path: '/accounts' },
        response: {
          body: [{ id: 1, name: 'a', oauth: { access_token: SECRET, refresh_token: SECRET, expires_in: 3600 } }, { id: 2, name: 'b' }],
          headers: { 'x-request-id': `req-${HEADER_SECRET}`, 'x-ratelimit-remaining': '9', 'x-ratelimit-token': `Bearer ${SECRET}` },
        },
      }],
    });
    const source = defineSource({
      name: 'echo_api',
      version: '1',
      description: 'test',
      config: Type.Object({}),
      configure: () => ({}),
      baseUrl: server.url,
      streams: () => [{
        name: 'accounts',
        schema: Type.Object({ id: Type.Number() }),
        id: (r: { id: number }) => String(r.id),
        read: (_a: unknown, ctx: { http: { records: (r: { path: string }) => AsyncIterable<unknown> } }) => ctx.http.records({ path: '/accounts' }),
      }],
    });
    expect(await ingest(db(), source, { logger: silentLogger() })).toMatchObject({ status: 'succeeded', inserted: 2 });
    server.verify();
    const rows = await db().withSession((s) => s.query<{ raw_id: string; raw_data: unknown; metadata: unknown; api_request_id: string; api_rate_limit_info: unknown; all: string }>(
      `SELECT raw_id, raw_data, metadata, api_request_id, api_rate_limit_info, b::text AS all FROM bronze_echo_api b ORDER BY raw_id`));
    expect(rows).toHaveLength(2);
    expect(rows[0].raw_data).toEqual({ id: 1, name: 'a', oauth: { access_token: '[REDACTED]', refresh_token: '[REDACTED]', expires_in: 3600 } });
    expect(rows[0].metadata).toEqual({ redacted_paths: ['/oauth/access_token', '/oauth/refresh_token'] });
    expect(rows[1].raw_data).toEqual({ id: 2, name: 'b' });
    expect(rows[1].metadata).toBeNull();
    expect(rows[0].api_request_id).toBe('req-[REDACTED]');
    expect(rows[0].api_rate_limit_info).toMatchObject({ 'x-ratelimit-remaining': '9', 'x-ratelimit-token': 'Bearer [REDACTED]' });
    for (const r of rows) {
      expect(r.all).not.toContain(SECRET);
      expect(r.all).not.toContain(HEADER_SECRET);
    }
  });
});
