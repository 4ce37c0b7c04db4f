import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, type TestDatabase } from '@bronze/testkit';
import { defineApiStream, defineSource, ingest, silentLogger, Type, type ApiStreamSpec, type Source } from '../src/index.js';
import { startApiServer } from './api-server.js';

/**
 * Issue 17 item 5 for API streams: ids are the value itself (a string or a number), or the
 * record is refused `invalid` with its hash as raw_id; distinct ids are never merged. The
 * ids a hostile API can send: objects, arrays, booleans next to the strings they print as.
 */
const IDS: unknown[] = [{ a: 1 }, { a: 2 }, '[object Object]', [1, 2], '1,2', true, 'true', 7, 'x'];
const BODY = IDS.map((id, i) => ({ id, i }));

let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer(() => ({ body: BODY }));
});
afterAll(() => server.close());

function source(name: string, id: ApiStreamSpec['id']): Source {
  return defineSource({
    name,
    version: '1',
    description: 'API stream ids',
    config: Type.Object({}),
    configure: () => ({}),
    baseUrl: 'http://127.0.0.1:1',
    streams: () => [defineApiStream({ name: 'items', schema: Type.Object({ i: Type.Integer() }), id, request: () => ({ path: '/items' }) })],
  });
}

interface Row {
  raw_id: string;
  validation_status: string;
  error_message: string | null;
  i: number;
}

async function stored(db: TestDatabase, src: Source): Promise<Map<number, Row>> {
  const result = await ingest(db, src, { logger: silentLogger(), env: { [`${src.name.toUpperCase()}_BASE_URL`]: server.url } });
  expect(result.status, result.errors.join('; ')).toBe('succeeded');
  expect(result.inserted).toBe(IDS.length);
  const rows = await db.withSession((s) => s.query<Row>(`SELECT raw_id, validation_status, error_message, (raw_data->>'i')::int AS i FROM bronze_${src.name}`));
  return new Map(rows.map((r) => [r.i, r]));
}

describeEachEngine('API stream ids', (db) => {
  it("id: 'field' reads the value canonically: objects, arrays and booleans refused, nothing merged", async () => {
    const rows = await stored(db(), source('ids_by_field', 'id'));
    expect(new Set([...rows.values()].map((r) => r.raw_id)).size, 'no two ids merged').toBe(IDS.length);
    IDS.forEach((id, i) => {
      const r = rows.get(i)!;
      if (typeof id === 'string' || typeof id === 'number') expect(r, String(id)).toMatchObject({ raw_id: String(id), validation_status: 'valid' });
      else expect(r, JSON.stringify(id)).toMatchObject({ raw_id: expect.stringMatching(/^sha256:/), validation_status: 'invalid', error_message: expect.stringMatching(/an id must be a string or a number/) });
    });
  });

  it('an id() that turns an object or array into text (String(r.id)) is refused, not merged as "[object Object]" or "1,2"', async () => {
    const rows = await stored(db(), source('ids_by_string', (r: { id: unknown }) => String(r.id)));
    for (const i of [0, 1, 3]) {
      expect(rows.get(i), JSON.stringify(IDS[i])).toMatchObject({ raw_id: expect.stringMatching(/^sha256:/), validation_status: 'invalid', error_message: expect.stringMatching(/^id: .*has no text form/) });
    }
    expect(rows.get(0)!.raw_id).not.toBe(rows.get(1)!.raw_id);
    expect(rows.get(2)).toMatchObject({ raw_id: '[object Object]', validation_status: 'valid' });
    expect(rows.get(4)).toMatchObject({ raw_id: '1,2', validation_status: 'valid' });
    // A template literal is the same conversion.
    const template = await stored(db(), source('ids_by_template', (r: { id: unknown }) => `item-${r.id}`));
    expect(template.get(0)).toMatchObject({ validation_status: 'invalid', raw_id: expect.stringMatching(/^sha256:/) });
    expect(template.get(8)).toMatchObject({ validation_status: 'valid', raw_id: 'item-x' });
  });
});
