import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { emit, fromJsonbSafe, parseJsonPrecise, recordHash, canonicalJson } from '../src/index.js';
import { row, withLoader } from './values-helpers.js';

interface Stored {
  raw_id: string;
  validation_status: string;
  error_message: string | null;
  raw_data: unknown;
  source_timestamp: Date | null;
  metadata: Record<string, unknown> | null;
}

describeEachEngine('exact values in raw_data', (db) => {
  const q = <T>(sql: string, params?: unknown[]) => db().withSession((s) => s.query<T>(sql, params));

  it('stores every number literal exactly: numeric equality, and jsonb keeps 1.10 as written', async () => {
    await withLoader(db, async (load, t) => {
      const rec = parseJsonPrecise('{"id": "n", "a": 0.1000000000000000055511151231257827, "b": 1e400, "c": 1.10, "d": 12345678901234567890123, "e": -2.5e-400, "n": 1.50}');
      expect(await load([rec])).toMatchObject({ inserted: 1 });
      const literals = { a: '0.1000000000000000055511151231257827', b: '1e400', c: '1.10', d: '12345678901234567890123', e: '-2.5e-400' };
      for (const [k, literal] of Object.entries(literals)) {
        const [r] = await q<{ same: boolean }>(`SELECT (raw_data->>'${k}')::numeric = $1::numeric AS same FROM ${t}`, [literal]);
        expect(r.same, k).toBe(true);
      }
      const [text] = await q<{ c: string; status: string }>(`SELECT raw_data->>'c' AS c, validation_status AS status FROM ${t}`);
      // 1.50 is a number to the stream's Type.Number(): the record is valid.
      expect(text).toEqual({ c: '1.10', status: 'valid' });
      expect(await load([parseJsonPrecise('{"n": 1.50, "e": -2.5e-400, "d": 12345678901234567890123, "c": 1.10, "b": 1e400, "a": 0.1000000000000000055511151231257827, "id": "n"}')])).toMatchObject({ inserted: 0, unchanged: 1 });
    });
  });

  it('keeps record_hash of ordinary records as main computed it (re-runs add nothing)', () => {
    // Pinned on main (3e90fd3) with recordHash(parseJsonPrecise(text)) before JsonNumber existed.
    const pinned: [string, string][] = [
      ['{"id": 1, "name": "Kaffee", "amount": -3.5, "tags": ["a", "b"], "when": "2024-01-02T03:04:05Z"}', '1a5ed0823fc696a2868c87ed370ea7c66579ca061f22c42a2422c19f5f1df788'],
      ['{"id": "abc", "n": null, "ok": true, "nested": {"z": 1, "a": [1.25, 2e-7, 1e21]}}', 'bd8d5f15f0c6e2f312d951a345b31c61946e2a79c5608f0b18cd42d0d922b65c'],
      ['{"snowflake": 1234567890123456789, "neg": -98765432109876543210, "safe": 9007199254740991, "big": 9007199254740992, "f": 1.5e3}', '1745194361c2df40aa9f26f352c94e06aa6327de3617141b52324d2fb89ce1cf'],
      ['{"x": 0.1, "y": 100, "z": -0, "w": 1E5, "u": "\\u00e9\\ud83d\\ude00", "k": 12345678901234567000000}', '5f7287ec109dc3c41168da2611f14580bec77ab02de5c329f40c17fa3bc67029'],
    ];
    for (const [text, hash] of pinned) {
      expect(recordHash(parseJsonPrecise(text)), text).toBe(hash);
      expect(row(parseJsonPrecise(text)).recordHash).toBe(hash);
      expect(recordHash(JSON.parse(text.replace(/\d{17,}/g, '0'))) === hash || /\d{17,}/.test(text)).toBe(true);
    }
    // ids as main wrote them: numbers by their decimal text, long integers by their digits.
    expect(row(parseJsonPrecise('{"id": 12345678901234567890}')).rawId).toBe('12345678901234567890');
    expect(row(parseJsonPrecise('{"id": 1.0}')).rawId).toBe('1');
    expect(row(parseJsonPrecise('{"id": 42}')).rawId).toBe('42');
  });

  it('markers never collide with user data: marker-like strings and objects round-trip as data', async () => {
    await withLoader(db, async (load, t) => {
      const records = [
        { id: 'bigint-marker', v: '\u0000bronze-bigint:42' },
        { id: 'escaped-object', v: { $bronze_escaped: '"hello"' } },
        { id: 'escaped-key', v: { '$bronze_escaped_key:"x"': 1, other: [1, { $bronze_escaped: 5 }] } },
      ];
      await load(records);
      const rows = await q<Stored>(`SELECT raw_id, validation_status, raw_data FROM ${t} ORDER BY raw_id`);
      const byId = Object.fromEntries(rows.map((r) => [r.raw_id, r]));
      for (const r of records) {
        expect(fromJsonbSafe(byId[r.id].raw_data), r.id).toEqual(r);
        expect(byId[r.id].validation_status).toBe('warning');
      }
      expect(await load(records)).toMatchObject({ inserted: 0, unchanged: 3 });
    });
  });

  it('duplicate keys: the last value in raw_data, a warning naming the key, the earlier values in metadata', async () => {
    await withLoader(db, async (load, t) => {
      const rec = parseJsonPrecise('{"id": "d", "amount": 1.10, "amount": 2, "inner": {"k": "a", "k": "b"}}');
      await load([rec]);
      const [r] = await q<Stored>(`SELECT validation_status, error_message, raw_data, metadata FROM ${t}`);
      expect(r.raw_data).toEqual({ id: 'd', amount: 2, inner: { k: 'b' } });
      expect(r.validation_status).toBe('warning');
      expect(r.error_message).toMatch(/duplicate key "amount" at \$ \(earlier 1\.10\); "k" at \$\.inner \(earlier "a"\)/);
      expect(r.metadata).toEqual({ duplicate_keys: [{ path: '$', key: 'amount', earlier: ['1.10'] }, { path: '$.inner', key: 'k', earlier: ['"a"'] }] });
    });
  });

  it('keeps __proto__ keys as data', async () => {
    await withLoader(db, async (load, t) => {
      await load([parseJsonPrecise('{"id": "p", "__proto__": {"admin": true}, "x": {"__proto__": 1}}')]);
      const [r] = await q<{ proto: unknown; inner: string; status: string }>(`SELECT raw_data->'__proto__' AS proto, raw_data->'x'->>'__proto__' AS inner, validation_status AS status FROM ${t}`);
      expect(r).toEqual({ proto: { admin: true }, inner: '1', status: 'valid' });
    });
  });
});

describeEachEngine('ids never collapse', (db) => {
  const q = <T>(sql: string, params?: unknown[]) => db().withSession((s) => s.query<T>(sql, params));

  it('strings and numbers as before; objects, arrays and booleans refused, never merged or [object Object]', async () => {
    await withLoader(db, async (load, t) => {
      const records = [{ id: 1, v: 'number' }, { id: '1', v: 'string' }, { id: [1, 2] }, { id: '1,2' }, { id: true }, { id: 'true' }, { id: { a: 1 } }, { id: { a: 2 } }, { id: '[object Object]' }];
      expect(await load(records)).toMatchObject({ inserted: 9 });
      const rows = await q<Stored>(`SELECT raw_id, validation_status, error_message, raw_data FROM ${t} ORDER BY id`);
      // A number id and its decimal text are one id (a CSV has no types): the string is version 2.
      expect(rows.filter((r) => r.raw_id === '1').length).toBe(2);
      for (const r of rows.slice(2)) {
        const id = (r.raw_data as { id: unknown }).id;
        if (typeof id === 'string') expect([r.raw_id, r.validation_status]).toEqual([id, 'valid']);
        else {
          expect(r.validation_status).toBe('invalid');
          expect(r.raw_id).toMatch(/^sha256:[0-9a-f]{64}$/);
          expect(r.error_message).toMatch(/^id: is an? (array|object|boolean) .*an id must be a string or a number/);
        }
      }
      expect(new Set(rows.map((r) => r.raw_id)).size).toBe(8);
      // (1 and "1" in one batch are one id seen twice with different content: what a repeated id
      // in one file becomes is the file importer's rule, so the re-run leaves them out.)
      expect(await load(records.slice(2))).toMatchObject({ inserted: 0, unchanged: 7 });
    });
  });

  it('NUL and lone-surrogate ids stay distinct; huge ids are hashed with the original in raw_data', async () => {
    await withLoader(db, async (load, t) => {
      let seed = 1;
      const random = (len: number) => Array.from({ length: len }, () => String.fromCharCode(0x21 + ((seed = (seed * 48271) % 2147483647) % 90))).join('');
      const fits = random(2500);
      const huge = random(3000);
      const records = [{ id: 'a\u0000b' }, { id: 'a\u0000c' }, { id: '\ud800' }, { id: '\udc00' }, { id: 'x\ud800y' }, { id: fits }, { id: huge }];
      expect(await load(records)).toMatchObject({ inserted: 7 });
      const rows = await q<Stored>(`SELECT raw_id, validation_status, error_message, raw_data FROM ${t} ORDER BY id`);
      expect(new Set(rows.map((r) => r.raw_id)).size).toBe(7);
      expect(rows.map((r) => fromJsonbSafe(r.raw_data))).toEqual(records);
      expect(rows[0]).toMatchObject({ validation_status: 'warning', raw_id: expect.stringMatching(/^sha256:/) });
      expect(rows[0].error_message).toMatch(/id "a\\u0000b" holds U\+0000/);
      expect(rows[5]).toMatchObject({ raw_id: fits, validation_status: 'valid' });
      expect(rows[6]).toMatchObject({ validation_status: 'warning', raw_id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      expect(rows[6].error_message).toMatch(/id of 3000 bytes/);
      expect(await load(records)).toMatchObject({ inserted: 0, unchanged: 7 });
    });
  });

  it('NUL in an error message, a JSON path in metadata and a zip entry name is stored escaped', async () => {
    await withLoader(db, async (load, t) => {
      const file = { path: '/in/a.zip', sha256: 'f'.repeat(64), size: 1, entry: 'dir/x\u0000y.json' };
      await load([emit({ id: 'e' }, { invalid: 'line 3: bad \u0000 byte', metadata: { path: '$.a\u0000b' } })], file);
      const [r] = await q<{ error_message: string; metadata: unknown; file_path: string }>(`SELECT error_message, metadata, file_path FROM ${t}`);
      expect(r.error_message).toBe('line 3: bad \\u0000 byte');
      expect(fromJsonbSafe(r.metadata)).toEqual({ path: '$.a\u0000b' });
      expect(r.file_path).toBe('/in/a.zip!dir/x\\u0000y.json');
    });
  });
});

describeEachEngine('poison timestamps and deep nesting', (db) => {
  const q = <T>(sql: string, params?: unknown[]) => db().withSession((s) => s.query<T>(sql, params));

  it('a timestamp PostgreSQL cannot store leaves source_timestamp NULL with a warning; the batch is stored', async () => {
    await withLoader(db, async (load, t) => {
      const records = [
        { id: 'good', at: '2024-05-01T10:00:00Z' },
        { id: 'year0', at: '0000-01-01T00:00:00Z' },
        { id: 'apple-no-end', at: '9999-12-31T23:59:59-08:00' },
        { id: 'epoch-1e15', at: 1e15 },
        { id: 'bc', at: '-000044-03-15T00:00:00Z' },
        { id: 'far', at: '+050000-01-01T00:00:00Z' },
        { id: 'nonsense', at: 'not a date' },
        { id: 'first', at: '0001-01-01T00:00:00Z' },
        { id: 'last', at: '9999-12-31T23:59:59.999Z' },
      ];
      expect(await load(records)).toMatchObject({ inserted: 9 });
      const rows = await q<{ raw_id: string; ts: string | null; status: string; error_message: string | null }>(
        `SELECT raw_id, to_char(source_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS ts, validation_status AS status, error_message FROM ${t}`);
      const byId = Object.fromEntries(rows.map((r) => [r.raw_id, r]));
      for (const [id, ts] of [['good', '2024-05-01'], ['first', '0001-01-01'], ['last', '9999-12-31']]) expect(byId[id]).toMatchObject({ ts, status: 'valid' });
      expect(byId['year0'].error_message).toMatch(/timestamp: 0000-01-01T00:00:00.000Z is outside the years 0001–9999/);
      expect(byId['apple-no-end'].error_message).toMatch(/\+010000-01-01T07:59:59.000Z is outside/);
      expect(byId['bc'].error_message).toMatch(/-000044-03-15T00:00:00.000Z is outside/);
      expect(byId['epoch-1e15'].error_message).toMatch(/not a valid date/);
      for (const id of ['year0', 'apple-no-end', 'epoch-1e15', 'bc', 'far', 'nonsense']) expect(byId[id]).toMatchObject({ ts: null, status: 'warning' });
      expect(await load(records)).toMatchObject({ inserted: 0, unchanged: 9 });
    });
  });

  it('names the line of a poison timestamp when the reader gave one', () => {
    expect(row(emit({ id: 1, at: '0000-01-01' }, { metadata: { line: 17 } })).error).toMatch(/outside .* \(line 17\)/);
  });

  it('nesting deeper than 1000 levels is stored invalid with its JSON text; 1000 levels store as jsonb', async () => {
    await withLoader(db, async (load, t) => {
      const nest = (depth: number) => parseJsonPrecise(`{"id": "d${depth}", "v": ${'['.repeat(depth - 1)}1.10${']'.repeat(depth - 1)}}`);
      const deep = nest(5000);
      expect(await load([nest(1000), deep, { id: 'after' }])).toMatchObject({ inserted: 3 });
      const rows = await q<Stored>(`SELECT raw_id, validation_status, error_message, raw_data FROM ${t} ORDER BY id`);
      expect(rows.map((r) => [r.raw_id, r.validation_status])).toEqual([['d1000', 'valid'], ['d5000', 'invalid'], ['after', 'valid']]);
      expect(rows[1].error_message).toMatch(/nested deeper than 1000 levels/);
      const text = (rows[1].raw_data as { $bronze_escaped: string }).$bronze_escaped;
      expect(text.length).toBe(canonicalJson(deep).raw.length);
      expect(text).toBe(canonicalJson(deep).raw);
      expect(await load([nest(1000), nest(5000)])).toMatchObject({ inserted: 0, unchanged: 2 });
    });
  });
});
