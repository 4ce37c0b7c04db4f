import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine } from '@bronze/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { elementId, RECORD_ID_ATTRIBUTES } from '../src/index.js';
import { foodExport } from './food.js';
import { rowsPerStream, run, tempDir } from './helpers.js';

/** Top-level elements of the text, counted with a regex (two-space indent), not by the parser. */
const count = (xml: string, tag: string) => (xml.match(new RegExp(`\\n  <${tag}[ >/]`, 'g')) ?? []).length;

describe('elementId', () => {
  const base = {
    type: 'HKQuantityTypeIdentifierDietaryEnergyConsumed',
    sourceName: 'MyNetDiary',
    unit: 'kcal',
    creationDate: '2020-01-10 20:11:30 -0800',
    startDate: '2020-01-10 12:00:00 -0800',
    endDate: '2020-01-10 12:00:00 -0800',
    value: '120',
  };

  it('keeps the id of earlier versions for an element with only the identifying attributes', () => {
    const joined = RECORD_ID_ATTRIBUTES.map((a) => base[a]).join('\u001f');
    expect(elementId(base, RECORD_ID_ATTRIBUTES)).toBe(createHash('sha256').update(joined).digest('hex').slice(0, 32));
  });

  it('an element with more than the identifying attributes: the documented input, written out by hand', () => {
    // Ids must never change between versions (a re-import would store every record again), so
    // the input is spelled here as the docs define it, not computed: the named attributes joined
    // by U+001F, U+001E, then the other keys' canonical JSON (keys sorted, device address blanked).
    const element = {
      ...base,
      sourceVersion: '7.26',
      device: '<<HKDevice: 0x282a45810>, name:iPhone, model:iPhone>',
      MetadataEntry: [{ key: 'HKFoodType', value: 'Banana "ripe"\\' }],
    };
    const input =
      'HKQuantityTypeIdentifierDietaryEnergyConsumed\u001fMyNetDiary\u001f2020-01-10 20:11:30 -0800\u001f2020-01-10 12:00:00 -0800' +
      '\u001f2020-01-10 12:00:00 -0800\u001f120\u001fkcal\u001e' +
      '{"MetadataEntry":[{"key":"HKFoodType","value":"Banana \\"ripe\\"\\\\"}],"device":"<<HKDevice: 0x>, name:iPhone, model:iPhone>","sourceVersion":"7.26"}';
    expect(elementId(element, RECORD_ID_ATTRIBUTES)).toBe(createHash('sha256').update(input).digest('hex').slice(0, 32));
  });

  it('tells apart elements that differ in a metadata entry, a nested record or any attribute; not in the device address', () => {
    const banana = { ...base, MetadataEntry: [{ key: 'HKFoodType', value: 'Banana' }] };
    const apple = { ...base, MetadataEntry: [{ key: 'HKFoodType', value: 'Apple' }] };
    const ids = new Set([
      elementId(base, RECORD_ID_ATTRIBUTES),
      elementId(banana, RECORD_ID_ATTRIBUTES),
      elementId(apple, RECORD_ID_ATTRIBUTES),
      elementId({ ...base, sourceVersion: '7.26' }, RECORD_ID_ATTRIBUTES),
      elementId({ ...base, Record: [{ type: 'P', value: '1' }] }, RECORD_ID_ATTRIBUTES),
      elementId({ ...base, Record: [{ type: 'P', value: '2' }] }, RECORD_ID_ATTRIBUTES),
    ]);
    expect(ids.size).toBe(6);
    const onPhone = (address: string) => ({ ...banana, device: `<<HKDevice: ${address}>, name:iPhone, model:iPhone>` });
    expect(elementId(onPhone('0x282a45810'), RECORD_ID_ATTRIBUTES)).toBe(elementId(onPhone('0x2801f3c40'), RECORD_ID_ATTRIBUTES));
    expect(elementId(onPhone('0x282a45810'), RECORD_ID_ATTRIBUTES)).not.toBe(elementId({ ...onPhone('0x282a45810'), device: '<<HKDevice: 0x282a45810>, name:Apple Watch>' }, RECORD_ID_ATTRIBUTES));
    // Attribute order does not matter.
    expect(elementId(Object.fromEntries(Object.entries(banana).reverse()), RECORD_ID_ATTRIBUTES)).toBe(elementId(banana, RECORD_ID_ATTRIBUTES));
  });
});

describeOneEngine('apple_health: food logging (distinct samples with the same attributes)', (db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const xml = foodExport();
  writeFileSync(join(dir, 'export.xml'), xml);

  it('stores every food record and every meal as its own record: rows = elements, no versions', async () => {
    expect(count(xml, 'Correlation')).toBe(35);
    const r = await run(db(), [join(dir, 'export.xml')]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.invalid + r.warning).toBe(0);
    expect(r.newVersion).toBe(0);
    expect(await rowsPerStream(db())).toEqual({
      records: count(xml, 'Record'),
      correlations: count(xml, 'Correlation'),
      me: count(xml, 'Me'),
      export_info: count(xml, 'ExportDate'),
    });
    const [meals] = await db().withSession((s) =>
      s.query<{ n: number; ids: number; v: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT raw_id)::int AS ids, max(version)::int AS v FROM bronze_apple_health
         WHERE stream = 'correlations' AND raw_data->>'type' = 'HKCorrelationTypeIdentifierFood'`,
      ),
    );
    expect(meals).toEqual({ n: 34, ids: 34, v: 1 });
  });

  it('a re-export (new device addresses) and a --force re-import add 0 rows', async () => {
    const moved = foodExport(1000);
    expect(moved).not.toBe(xml);
    writeFileSync(join(dir, 'export-2.xml'), moved);
    const again = await run(db(), [join(dir, 'export-2.xml')]);
    expect(again.status, again.errors.join('; ')).toBe('succeeded');
    expect(again.inserted).toBe(0);
    expect(again.unchanged).toBe(again.seen);
    const forced = await run(db(), [join(dir, 'export.xml')], { force: true });
    expect(forced.inserted).toBe(0);
    expect(forced.unchanged).toBe(forced.seen);
  });

  it('the ids depend on the element only: the re-export on a fresh database gets the same ids', async () => {
    const other = await createTestDatabase(engine);
    try {
      await run(other, [join(dir, 'export-2.xml')]);
      const ids = async (d: typeof other) =>
        (await d.withSession((s) => s.query<{ raw_id: string }>(`SELECT raw_id FROM bronze_apple_health ORDER BY raw_id`))).map((x) => x.raw_id);
      expect(await ids(other)).toEqual(await ids(db()));
    } finally {
      await other.close();
    }
  });
});
