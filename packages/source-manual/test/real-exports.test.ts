import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { headerAbove } from '../src/header-check.js';
import { file, rows, run } from './helpers.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));

/**
 * The fields of one CSV line, read independently of the reader under test: `"` quotes,
 * `""` escapes, the delimiter inside quotes is text. (These fixtures have no line breaks
 * inside fields.)
 */
function fieldsOf(line: string, delimiter = ';'): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) out.push(field), (field = '');
    else field += c;
  }
  out.push(field);
  return out;
}

/** 1-based line number → the line's text, for the lines below `after` that start a booking. */
function bookingLines(text: string, start: RegExp, after = 1): Map<number, string> {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  return new Map(lines.flatMap((l, i) => (i + 1 > after && start.test(l) ? [[i + 1, l] as const] : [])));
}

describeEachEngine('real bank exports', (db, engine) => {
  it('Sparkasse "CSV-CAMT" (windows-1252, every field quoted or empty, two-digit years): one valid row per booking, every field as written', async () => {
    const bytes = fixture('sparkasse-freiburg-camt.csv');
    const text = bytes.toString('latin1');
    const header = fieldsOf(text.split('\n')[0]);
    const bookings = bookingLines(text, /^"\d+";"\d{2}\.\d{2}\.\d{2}";/);
    expect(bookings.size).toBeGreaterThan(10);
    const stream = `sparkasse_camt_${engine}`;

    const r = await run(db(), [file(`${stream}.csv`, bytes)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: bookings.size, invalid: 0, warning: 0 });
    const stored = await rows(db(), stream);
    expect(stored.map((s) => s.metadata?.line)).toEqual([...bookings.keys()]);
    for (const s of stored) {
      const fields = fieldsOf(bookings.get(s.metadata!.line as number)!);
      expect(s.raw_data).toEqual(Object.fromEntries(header.map((h, i) => [h, fields[i]])));
    }
    expect(stored.find((s) => s.raw_data.Verwendungszweck === 'Hans Müller Erbe abzügl. Gebühren')?.raw_data.Betrag).toBe('350,00');
    expect(stored[0].source_timestamp?.toISOString()).toBe('2018-04-03T00:00:00.000Z');
  });

  // kedder/ofxstatement-lithuanian's real Danske Bank export: a names line of 12 fields over
  // bookings of 10 whose names do not line up with them, dates written 2012:03:01, fields over
  // several lines. The first booking was taken for the header: it was no row of its own, only
  // the keys of the three others (each a `warning`).
  it('Danske Bank (names line wider than its bookings, dates 2012:03:01): every booking a row, the names line kept as preamble', async () => {
    const bytes = fixture('danske-ofxstatement-lithuanian.csv');
    const text = bytes.toString('latin1');
    // Each booking starts a line with its date and ends at the next one; its amount is its last field but the empty one.
    const starts = [...text.matchAll(/^(\d{4}:\d{2}:\d{2}),/gm)];
    const bookings = starts.map((m, i) => {
      const block = text.slice(m.index, starts[i + 1]?.index ?? text.length);
      return { date: m[1], amount: /,(-?\d*\.\d+),\r?\n?$/.exec(block)?.[1] };
    });
    expect(bookings.length).toBe(4);
    const stream = `danske_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, bytes)]);
    expect(r).toMatchObject({ status: 'succeeded', invalid: 0, warning: 0 });
    const stored = await rows(db(), stream);
    const preamble = stored.filter((s) => 'preamble' in s.raw_data);
    expect(preamble.map((s) => s.raw_data.preamble)).toEqual([[text.split(/\r?\n/)[0]]]);
    const booked = stored.filter((s) => !('preamble' in s.raw_data));
    expect(booked.map((s) => ({ date: s.raw_data.column_1, amount: s.raw_data.column_9 }))).toEqual(bookings);
    expect(r.notes.join('\n')).toMatch(/line 2 \("2012:03:01", .*\) reads as a record, not as column names/);
  });

  // nblock/ofxstatement-austrian's real Livebank export: 10 names over bookings of 12 and 14
  // fields (the text column spills over). The detection's table starts at the first line of 14
  // fields (line 3): the first booking (line 2, 12 fields) was preamble text, line 3 the header
  // (no row of its own), the others keyed by its values.
  it('Livebank (names line narrower than its ragged bookings): every booking a row, the names line alone the preamble; --skip-lines 0 stores each booking invalid, whole', async () => {
    const bytes = fixture('livebank-ofxstatement-austrian.csv');
    const lines = bytes.toString('latin1').split(/\r?\n/);
    const bookings = lines.map((l, i) => ({ line: i + 1, fields: l.split(';') })).filter((b) => /^\d{4}-\d{2}-\d{2}$/.test(b.fields[2] ?? ''));
    expect(bookings.length).toBe(6);
    const stream = `livebank_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, bytes)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 7, invalid: 0, warning: 0 });
    const stored = await rows(db(), stream);
    expect(stored.filter((s) => 'preamble' in s.raw_data).map((s) => s.raw_data.preamble)).toEqual([[lines[0]]]);
    const booked = stored.filter((s) => !('preamble' in s.raw_data));
    expect(booked.map((s) => ({ line: s.metadata?.line, date: s.raw_data.column_3, amount: s.raw_data.column_8, fields: Object.keys(s.raw_data).length })))
      .toEqual(bookings.map((b) => ({ line: b.line, date: b.fields[2], amount: b.fields[7], fields: b.fields.length })));
    expect(booked[0].raw_data.column_9).toBe('Datenträger-Umsatz');
    expect(r.notes.join('\n')).toContain(
      `line 2 ("12345678", "1", "2013-07-03", "2013-07-03", …) reads as a record, not as column names: read without a header row, every line a row keyed column_1, column_2…; ` +
        '--header reads line 3 as the names; line 1 (Kontonummer;Auszugsnummer;Buchungsdatum;Valutadatum;Umsatzzeit;Zahlungsreferenz;…) reads as names, kept in the preamble record: --skip-lines 0 reads it as the header',
    );
    // The way the note names: the names line the header, each booking (wider) invalid, its fields as written.
    const told = `livebank_told_${engine}`;
    expect(await run(db(), [file(`${told}.csv`, bytes)], { options: { skipLines: 0 } })).toMatchObject({ status: 'succeeded', inserted: 6, invalid: 6 });
    expect((await rows(db(), told)).map((s) => [s.raw_data.line, (s.raw_data.fields as string[]).length])).toEqual(bookings.map((b) => [b.line, b.fields.length]));
  });

  // jbms/beancount-import's Schwab brokerage transactions: the header (line 2) ends in the
  // delimiter, so it has a 9th, unnamed column; its rows end in one too, except the last
  // merger (line 20) and the "Transactions Total" line, 8 fields each: those two were invalid.
  it('Schwab brokerage transactions (header ending in the delimiter, two rows that do not): every line a row keyed by the names, the unnamed column absent where a row has no field for it', async () => {
    const text = fixture('schwab-brokerage-transactions.csv').toString('utf8');
    const lines = text.split('\n');
    const names = fieldsOf(lines[1], ',');
    expect(names).toHaveLength(9);
    const records = lines.slice(2).map((l, i) => ({ line: i + 3, fields: fieldsOf(l, ',') })).filter((x) => lines[x.line - 1] !== '');
    expect(records).toHaveLength(22);
    const stream = `schwab_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, Buffer.from(text))]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 23, invalid: 0, warning: 0 });
    expect(r.notes.join('\n')).toContain("2 rows (lines 20…24) have no field for the header's unnamed last column (line 2 ends in the delimiter); read by the names they have");
    const booked = (await rows(db(), stream)).filter((s) => !('preamble' in s.raw_data));
    const keys = names.map((n, i) => (n === '' ? `column_${i + 1}` : n));
    expect(booked.map((s) => ({ line: s.metadata?.line, row: s.raw_data })))
      .toEqual(records.map((x) => ({ line: x.line, row: Object.fromEntries(x.fields.map((f, i) => [keys[i], f])) })));
  });

  /** The Sparda fixture: its header line, the header's names, and its bookings by line. */
  function sparda() {
    const bytes = fixture('sparda-umsaetze.csv');
    const text = bytes.toString('latin1');
    const lines = text.split('\n');
    const headerLine = lines.findIndex((l) => l.startsWith('"Buchungstag";')) + 1;
    const bookings = bookingLines(text, /^"\d{2}\.\d{2}\.\d{4}";/, headerLine);
    expect(bookings.size).toBeGreaterThan(3);
    return { bytes, lines, headerLine, header: fieldsOf(lines[headerLine - 1]), bookings };
  }

  // Detected (the header is narrower than its rows, which end in ;"") or told with --skip-lines: the same rows.
  for (const told of [false, true]) {
    it(`Sparda-Bank "Umsätze" ${told ? 'with --skip-lines' : 'detected'}: every booking a valid row keyed by the header (the empty last field kept as column_6), the footer line stored invalid`, async () => {
      const { bytes, lines, headerLine, header, bookings } = sparda();
      const stream = `sparda_${told ? 'told' : 'detected'}_${engine}`;
      const r = await run(db(), [file(`${stream}.csv`, bytes)], told ? { options: { skipLines: headerLine - 1 } } : {});
      // The preamble, every booking, and the footer line ("* noch nicht ausgeführte Umsätze").
      expect(r).toMatchObject({ status: 'succeeded', inserted: bookings.size + 2, invalid: 1, warning: 0 });
      expect(r.notes.join('\n')).toContain(`end in empty fields beyond the header's ${header.length} columns; kept as "column_${header.length + 1}"`);
      const stored = await rows(db(), stream);
      const booked = stored.filter((s) => s.raw_data.Buchungstag !== undefined);
      expect(booked.map((s) => s.metadata?.line)).toEqual([...bookings.keys()]);
      for (const s of booked) {
        const fields = fieldsOf(bookings.get(s.metadata!.line as number)!);
        const keys = [...header, ...fields.slice(header.length).map((_, i) => `column_${header.length + i + 1}`)];
        expect(s.validation_status).toBe('valid');
        expect(s.raw_data).toEqual(Object.fromEntries(keys.map((k, i) => [k, fields[i]])));
      }
      expect(booked.find((s) => s.raw_data.Umsatz === '-780,00')?.raw_data.Verwendungszweck).toBe('Erika Beispiel SEPA-ÜBERWEISUNG SVWZ+ Miete; Nebenkosten "März"');
      expect(stored.find((s) => s.validation_status === 'invalid')?.raw_data).toEqual({ line: lines.length - 1, fields: ['* noch nicht ausgeführte Umsätze'] });
      expect(stored[0].raw_data.preamble).toEqual(lines.slice(0, headerLine - 1));
    });
  }

  it('Alfa-Bank "Выписка" (windows-1251, no BOM): read as windows-1252 the summary says the text looks like another code page; --encoding windows-1251 reads every field right', async () => {
    const bytes = fixture('alfabank-vypiska.csv');
    // Decoded independently of the reader under test.
    const lines = new TextDecoder('windows-1251').decode(bytes).split('\n').filter((l) => l !== '');
    const header = fieldsOf(lines[0]).map((h, i) => (h === '' ? `column_${i + 1}` : h));
    const records = lines.slice(1).map((l) => fieldsOf(l));
    const stream = `alfabank_${engine}`;
    const p = file(`${stream}.csv`, bytes);

    const fallback = await run(db(), [p]);
    expect(fallback).toMatchObject({ status: 'succeeded', inserted: records.length, invalid: 0 });
    expect(fallback.notes.join('\n')).toMatch(new RegExp(`${stream}\\.csv: read as windows-1252 \\(it is not UTF-8\\), which gives text such as ".*"; if that is another code page, import it again with --encoding \\(e\\.g\\. windows-1251`));

    const right = await run(db(), [p], { force: true, options: { encoding: 'windows-1251' } });
    expect(right).toMatchObject({ status: 'succeeded', inserted: records.length, invalid: 0, warning: 0 });
    expect(right.notes.join('\n')).not.toContain('read as windows-1252');
    const stored = (await rows(db(), stream)).filter((s) => s.raw_data['Дата операции'] !== undefined);
    expect(stored.map((s) => s.raw_data)).toEqual(records.map((f) => Object.fromEntries(header.map((h, i) => [h, f[i]]))));
    expect(new Set(stored.map((s) => s.raw_id)).size).toBe(records.length);
  });

  it('a German windows-1252 export gets no code-page note: Umsätze, Gebühren are Latin-1 words', async () => {
    const r = await run(db(), [file(`sparkasse_note_${engine}.csv`, fixture('sparkasse-freiburg-camt.csv'))]);
    expect(r.notes.join('\n')).not.toContain('read as windows-1252');
  });

  // A UTF-8 file with one damaged byte is read as windows-1252 (nothing lost, the bytes can be
  // read again), and its every `ü` then reads `Ã¼`: the rows were stored so, valid, without a word.
  it('the same export as UTF-8 with one damaged byte: read as windows-1252, the summary names the byte and what its UTF-8 text now reads as', async () => {
    const utf8 = Buffer.from(new TextDecoder('windows-1252').decode(fixture('sparkasse-freiburg-camt.csv')), 'utf8');
    const at = utf8.lastIndexOf('Miete');
    const p = file(`sparkasse_damaged_${engine}.csv`, Buffer.concat([utf8.subarray(0, at), Buffer.from([0xe9]), utf8.subarray(at)]));
    const r = await run(db(), [p]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 18, invalid: 0 }); // 18 bookings, counted in fixtures/README.md
    const said = `${p}: read as windows-1252, since 1 byte of it (the first at byte ${at}) is not UTF-8; but it holds 22 UTF-8 characters (the first at byte 764: "Ü", now read as "Ãœ")`;
    expect(r.notes.join('\n')).toContain(said); // from a reader thread too: core's read-thread.test.ts
  });

  it('Knab "transactieoverzicht" (a padded title line KNAB EXPORT;;;… as wide as the table): detected, the title is the preamble and every booking is keyed by the real names; --skip-lines 1 stores the same', async () => {
    const bytes = fixture('knab-transactieoverzicht.csv');
    const lines = bytes.toString('utf8').split('\n');
    const header = fieldsOf(lines[1]).map((h, i) => (h === '' ? `column_${i + 1}` : h));
    const bookings = bookingLines(bytes.toString('utf8'), /^"NL\w+";"\d{2}-\d{2}-\d{4}";/, 2);
    expect(bookings.size).toBeGreaterThan(2);
    const p = file(`knab_${engine}.csv`, bytes);
    const stream = `knab_${engine}`;

    const detected = await run(db(), [p]);
    expect(detected).toMatchObject({ status: 'succeeded', inserted: bookings.size + 1, warning: 0, invalid: 0 });
    const stored = await rows(db(), stream);
    expect(stored[0].raw_data).toEqual({ preamble: [lines[0]] });
    const booked = stored.slice(1);
    expect(booked.map((s) => s.metadata?.line)).toEqual([...bookings.keys()]);
    expect(booked.map((s) => s.raw_data)).toEqual([...bookings.values()].map((l) => Object.fromEntries(fieldsOf(l).map((f, i) => [header[i], f]))));
    expect(booked[1].raw_data.Omschrijving).toBe('Salaris maart; bonus "Q1"');

    // Told where the header is, the same records: nothing new stored.
    const told = await run(db(), [p], { force: true, options: { skipLines: 1 } });
    expect(told).toMatchObject({ status: 'succeeded', inserted: 0, unchanged: bookings.size + 1 });
  });

  // Lines ending in CR CR LF (a CRLF file written again in text mode on Windows): the parser took
  // CR for the line end, so each booking began with the LF and kept its quotes as text
  // (`"IBAN/BBAN": "\n\"NL77…\""`), and a last invalid row held "\n".
  it('Rabobank "CSV_A" with CR CR LF line ends: one valid row per booking, every field as written, the same records as the CRLF file', async () => {
    const bytes = fixture('rabobank-csv-a.csv');
    const lines = bytes.toString('latin1').split('\r\r\n').filter((l) => l !== '');
    const header = fieldsOf(lines[0], ',');
    const bookings = lines.slice(1).map((l) => fieldsOf(l, ','));
    expect(bookings).toHaveLength(4);
    const stream = `rabobank_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, bytes)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: bookings.length, invalid: 0, warning: 0 });
    const stored = await rows(db(), stream);
    expect(stored.map((s) => s.raw_data)).toEqual(bookings.map((f) => Object.fromEntries(header.map((h, i) => [h, f[i]]))));
    expect(stored[0].raw_data['Naam initiërende partij']).toBe('');
    expect(stored[0].source_timestamp?.toISOString()).toBe('2025-03-01T00:00:00.000Z');

    const crlf = Buffer.from(bytes.toString('latin1').replaceAll('\r\r\n', '\r\n'), 'latin1');
    await run(db(), [file(`${stream}_crlf.csv`, crlf)]);
    expect((await rows(db(), `${stream}_crlf`)).map((s) => s.raw_id)).toEqual(stored.map((s) => s.raw_id));
  });

  // Each booking is followed by a 3-field line of its details, as many as the bookings: the
  // detection took the first `,,15/04/18 …` line for the header, the real header and the first
  // booking went to the preamble, every booking invalid, every detail line keyed by a value.
  it('OCBC "Transaction History" (a booking, then a ,,details line): every booking a valid row keyed by the real header, each details line stored invalid as written', async () => {
    const bytes = fixture('ocbc-transaction-history.csv');
    const lines = bytes.toString('utf8').split('\n');
    const headerLine = lines.findIndex((l) => l.startsWith('Transaction date,')) + 1;
    const header = fieldsOf(lines[headerLine - 1], ',');
    const bookings = bookingLines(bytes.toString('utf8'), /^\d{2}\/\d{2}\/\d{4},/, headerLine);
    const details = bookingLines(bytes.toString('utf8'), /^,,/, headerLine);
    expect([bookings.size, details.size]).toEqual([8, 8]);
    const stream = `ocbc_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, bytes)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 1 + bookings.size + details.size, invalid: details.size, warning: 0 });
    const stored = await rows(db(), stream);
    expect(stored[0].raw_data).toEqual({ preamble: lines.slice(0, headerLine - 1) });
    const valid = stored.filter((s) => s.validation_status === 'valid' && s.metadata?.role === undefined);
    expect(valid.map((s) => s.metadata?.line)).toEqual([...bookings.keys()]);
    expect(valid.map((s) => s.raw_data)).toEqual([...bookings.values()].map((l) => Object.fromEntries(fieldsOf(l, ',').map((f, i) => [header[i], f]))));
    const invalid = stored.filter((s) => s.validation_status === 'invalid');
    expect(invalid.map((s) => s.raw_data)).toEqual([...details].map(([line, l]) => ({ line, fields: fieldsOf(l, ',') })));
  });

  it('a row longer than the header by empty fields gets the same keys as a row of the header\'s width (blank and repeated names too)', async () => {
    const stream = `tail_keys_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, 'a;;a;b\n1;2;3;4\n5;6;7;8;;\n9;10;11;12;x\n13;14;15;16\n17;18;19;20\n')]);
    expect(r).toMatchObject({ inserted: 5, invalid: 1 });
    const stored = await rows(db(), stream);
    expect(stored[0].raw_data).toEqual({ a: '1', column_2: '2', 'a#2': '3', b: '4' });
    expect(stored[1].raw_data).toEqual({ a: '5', column_2: '6', 'a#2': '7', b: '8', column_5: '', column_6: '' });
    // A field beyond the header that holds text is not a trailing delimiter: the line as written, invalid.
    expect(stored[2]).toMatchObject({ validation_status: 'invalid', raw_data: { line: 4, fields: ['9', '10', '11', '12', 'x'] } });
  });
});

it('finds the header among the preamble lines: the last one of 2+ names, none a date or an amount', () => {
  expect(headerAbove(['"Konto";"1234"', '"01.01.2024";"15.02.2024";"12.345,67"', '', '"Buchungstag";"Umsatz"', ''])).toEqual({ line: 4, text: '"Buchungstag";"Umsatz"' });
  expect(headerAbove(['Kontonummer;Datum;Betrag', '1234;2013-07-03;150,00'])).toEqual({ line: 1, text: 'Kontonummer;Datum;Betrag' });
  expect(headerAbove(['Umsatzanzeige', '', ';Letztes Update: aktuell'])).toBeUndefined();
  expect(headerAbove([])).toBeUndefined();
  // A header ending in the delimiter, as Danske Bank's (kedder/ofxstatement-lithuanian's
  // samples/danske.csv): the warning named no line to start from, only --no-header.
  const danske = 'Date,Bank,Branch,Address,City,Country,Name,Memo,MemoConv,MemoDet,Amount,';
  expect(headerAbove([danske], { trailingEmpty: true })).toEqual({ line: 1, text: danske });
  expect(headerAbove([danske])).toBeUndefined();
  expect(headerAbove(['Date,,Amount'], { trailingEmpty: true })).toBeUndefined();
});
