import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { rowsPerStream, run } from './helpers.js';

/**
 * A whole real export_cda.xml of 2016 (fixtures/README.md: probablytom/apple-health-neo4j):
 * Apple's stylesheet instruction, two sections, four organizers, 126 observations (water from
 * Lifesum, body mass, BMI, height), several written twice with the same content.
 */
const CDA = join(import.meta.dirname, 'fixtures', 'apple-health-neo4j', 'export_cda.xml');
const xml = readFileSync(CDA, 'utf8');

describeOneEngine('apple_health: a real export_cda.xml', (db) => {
  it('stores every piece, repeated observations included, each observation as written', async () => {
    const r = await run(db(), [CDA]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r).toMatchObject({ invalid: 0, warning: 0 });
    // Counted by another parser (Python's expat, the README's rule for pieces) when the file was chosen.
    expect(await rowsPerStream(db())).toEqual({ clinical_document: 171 });

    const observations = await db().withSession((s) =>
      s.query<{ raw_id: string; raw_data: any }>(
        `SELECT raw_id, raw_data FROM bronze_apple_health WHERE raw_data->>'element' = 'component' AND raw_data->>'path' LIKE '%/organizer' ORDER BY (metadata->>'line')::int`,
      ),
    );
    // One row per <observation> in the text, in file order, its measured value as written.
    const written = [...xml.matchAll(/<value xsi:type="PQ" value="([^"]*)" unit="([^"]*)"\/>/g)].map((m) => ({ value: m[1], unit: m[2] }));
    expect(xml.split('<observation ').length - 1).toBe(126);
    expect(observations.map((o) => o.raw_data.value.observation[0].value[0]).map(({ value, unit }) => ({ value, unit }))).toEqual(written);
    // Identical observations share their hash: the repeats are numbered, none is dropped.
    const repeats = observations.filter((o) => o.raw_id.includes('#')).length;
    const distinct = new Set(xml.match(/<observation [\s\S]*?<\/observation>/g)).size;
    expect(observations.length - repeats).toBe(distinct);
    expect(repeats).toBeGreaterThan(0);
  });
});
