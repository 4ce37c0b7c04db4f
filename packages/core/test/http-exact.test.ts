import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { DUPLICATE_KEYS, JsonNumber } from '../src/index.js';
import { recordingClient, startFixtureServer, type FixtureServer } from './http-helpers.js';
import { withLoader } from './values-helpers.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

// A page as an API writes it: Python/Java serializers write 1.0 and 2.50, ids past 2^53, and so on.
const PAGE = '[{"id": 12345678901234567890123, "duration": 1.0, "price": 2.50, "ratio": 0.1000000000000000055511151231257827, "huge": 1e400, "__proto__": {"x": 1}, "tag": "a", "tag": "b"}]';

describeEachEngine('ctx.http JSON bodies keep exact values', (db) => {
  it('every number literal, __proto__ and duplicate keys arrive and are stored exactly', async () => {
    server.load({ fixtures: [{ request: { path: '/api/entries' }, response: { text: PAGE } }] });
    const { http } = recordingClient(server.url);
    const res = await http.json<Record<string | symbol, unknown>[]>({ path: '/api/entries' });
    server.verify();
    const [entry] = res.body;
    expect((entry.duration as JsonNumber).literal).toBe('1.0');
    expect(Number(entry.duration)).toBe(1);
    expect(Object.getOwnPropertyDescriptor(entry, '__proto__')!.value).toEqual({ x: 1 });
    expect(entry[DUPLICATE_KEYS]).toEqual([{ key: 'tag', earlier: ['a'] }]);
    await withLoader(db, async (load, t) => {
      await load([entry]);
      const [r] = await db().withSession((s) =>
        s.query<{ raw_id: string; id_ok: boolean; duration: string; price: string; ratio_ok: boolean; huge_ok: boolean; status: string }>(
          `SELECT raw_id, (raw_data->>'id')::numeric = 12345678901234567890123 AS id_ok, raw_data->>'duration' AS duration, raw_data->>'price' AS price,
                  (raw_data->>'ratio')::numeric = 0.1000000000000000055511151231257827 AS ratio_ok, (raw_data->>'huge')::numeric = 1e400 AS huge_ok,
                  validation_status AS status FROM ${t}`));
      expect(r).toEqual({ raw_id: '12345678901234567890123', id_ok: true, duration: '1.0', price: '2.50', ratio_ok: true, huge_ok: true, status: 'warning' });
    });
  });
});
