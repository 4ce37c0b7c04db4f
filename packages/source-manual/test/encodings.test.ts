import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => utf16le(text).swap16();

const JSONL = '{"id": 1, "text": "Umsätze", "emoji": "🚲"}\n{"id": 2, "text": "Grüße aus Köln", "n": 12345678901234567890}\n\n{"id": 3, "text": "ok"}\n';
const CSV = 'Datum;Text;Betrag\n01.01.2025;Umsätze;-13,98\n02.01.2025;Grüße;"1.000,00"\n';

describeOneEngine('text encodings', (db, engine) => {
  const encodings = (stream: string) =>
    db().withSession((s) => s.query<{ encoding: string; n: number }>(
      'SELECT encoding, count(*)::int AS n FROM bronze_manual WHERE stream = $1 GROUP BY encoding', [stream]));
  const replacementChars = (stream: string) =>
    db().withSession((s) => s.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bronze_manual WHERE stream = $1 AND (raw_data::text LIKE '%' || chr(65533) || '%' OR metadata::text LIKE '%' || chr(65533) || '%')`, [stream]));

  it('a Latin-1 CSV keeps Umsätze, says windows-1252, and holds no U+FFFD', async () => {
    const stream = `latin1_${engine}`;
    // 3,000 ASCII rows first: the decision covers the whole file, not only its first lines.
    const ascii = Array.from({ length: 3000 }, (_, i) => `02.01.2025;row ${i};-1,00`).join('\n');
    const text = `${CSV}${ascii}\n03.01.2025;Straße;-5,00\n`;
    const r = await run(db(), [file(`${stream}.csv`, Buffer.from(text, 'latin1'))]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3003, invalid: 0 });
    const stored = await rows(db(), stream);
    expect(stored[0].raw_data).toEqual({ Datum: '01.01.2025', Text: 'Umsätze', Betrag: '-13,98' });
    expect(stored[3002].raw_data.Text).toBe('Straße');
    expect(await encodings(stream)).toEqual([{ encoding: 'windows-1252', n: 3003 }]);
    expect(await replacementChars(stream)).toEqual([{ n: 0 }]);
    const [registry] = await db().withSession((s) => s.query<{ encoding: string }>(`SELECT encoding FROM bronze_files WHERE path LIKE $1`, [`%${stream}.csv`]));
    expect(registry.encoding).toBe('windows-1252');
  });

  it('--encoding overrides detection (iso-8859-15: byte A4 is €)', async () => {
    const stream = `euro_${engine}`;
    const bytes = Buffer.from('Text;Betrag\nPreis in \xa4;5\n', 'latin1');
    expect(await run(db(), [file(`${stream}.csv`, bytes)], { options: { encoding: 'iso-8859-15' } })).toMatchObject({ inserted: 1 });
    expect((await rows(db(), stream))[0].raw_data).toEqual({ Text: 'Preis in €', Betrag: '5' });
    expect(await encodings(stream)).toEqual([{ encoding: 'iso-8859-15', n: 1 }]);
    await expect(run(db(), [file(`${stream}2.csv`, bytes)], { options: { encoding: 'klingon' } })).rejects.toThrow(/--encoding "klingon" is not an encoding.*windows-1252/);
  });

  for (const [name, encode, label] of [['utf16le', utf16le, 'utf-16le'], ['utf16be', utf16be, 'utf-16be']] as const) {
    it(`${label} with a BOM: JSON Lines, CSV and JSON records are valid and identical to the UTF-8 file's`, async () => {
      const JSON_DOC = JSON.stringify([{ id: 'a', name: 'Zoë' }, { id: 'b', name: '日本' }]);
      for (const [ext, content, count] of [['jsonl', JSONL, 3], ['csv', CSV, 2], ['json', JSON_DOC, 2]] as const) {
        // A trailing blank line for the second encoding: another file, not skipped as already imported.
        const text = label === 'utf-16be' ? `${content}\n` : content;
        const plain = `${name}_${ext}_utf8_${engine}`;
        const wide = `${name}_${ext}_wide_${engine}`;
        expect(await run(db(), [file(`${plain}.${ext}`, text)])).toMatchObject({ inserted: count, invalid: 0, warning: 0 });
        expect(await run(db(), [file(`${wide}.${ext}`, encode(text))])).toMatchObject({ status: 'succeeded', inserted: count, invalid: 0, warning: 0 });
        const a = await rows(db(), plain);
        const b = await rows(db(), wide);
        expect(b.map((x) => [x.raw_id, x.raw_data, x.validation_status])).toEqual(a.map((x) => [x.raw_id, x.raw_data, x.validation_status]));
        expect(await encodings(wide)).toEqual([{ encoding: label, n: count }]);
        expect(await encodings(plain)).toEqual([{ encoding: 'utf-8', n: count }]);
      }
    });
  }

  // Excel's "Unicode Text" has a BOM; files cut from it, or written by other tools, may not:
  // every ASCII character then has a NUL byte, which read as "binary" failed the file, even with --encoding.
  it('UTF-16 without a BOM (tab-separated, as Excel\'s "Unicode Text"): detected, or told with --encoding, not refused as binary', async () => {
    const text = 'Datum\tText\tBetrag\r\n01.01.2025\tUmsätze\t-13,98\r\n02.01.2025\t日本\t"1.000,00"\r\n';
    const expected = [{ Datum: '01.01.2025', Text: 'Umsätze', Betrag: '-13,98' }, { Datum: '02.01.2025', Text: '日本', Betrag: '1.000,00' }];
    for (const [label, bytes] of [['utf-16le', Buffer.from(text, 'utf16le')], ['utf-16be', Buffer.from(text, 'utf16le').swap16()]] as const) {
      for (const told of [false, true]) {
        const stream = `nobom_${label.slice(-2)}_${told ? 'told' : 'detected'}_${engine}`;
        const r = await run(db(), [file(`${stream}.csv`, bytes)], told ? { options: { encoding: label } } : {});
        expect(r).toMatchObject({ status: 'succeeded', inserted: 2, invalid: 0, warning: 0 });
        expect((await rows(db(), stream)).map((x) => x.raw_data)).toEqual(expected);
        expect(await encodings(stream)).toEqual([{ encoding: label, n: 2 }]);
      }
    }
    // A binary file is still one: NUL bytes that are no UTF-16 text.
    const bin = await run(db(), [file(`nobom_bin_${engine}.csv`, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48]))]);
    expect(bin.errors[0]).toMatch(/looks binary/);
  });

  it('a UTF-16 file with a lone surrogate is not decoded lossily: it fails, naming the file and --encoding', async () => {
    const bytes = Buffer.concat([utf16le('{"id": 1}\n{"id": 2, "t": "'), Buffer.from([0x00, 0xd8]), Buffer.from('x"}\n', 'utf16le')]);
    const r = await run(db(), [file(`lone_${engine}.jsonl`, bytes)]);
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatch(/lone_.*\.jsonl: is not valid utf-16le .*--encoding/);
    expect(await replacementChars(`lone_${engine}`)).toEqual([{ n: 0 }]);
  });
});
