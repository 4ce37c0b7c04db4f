import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';
import { configureManual } from '../src/config.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));
/** Bookings counted independently of the reader: the lines that start with a date. */
const bookings = (text: string) => text.split('\n').filter((l) => /^\d{2}\.\d{2}\.\d{4};/.test(l));

describeOneEngine('CSV headers', (db, engine) => {
  it('a bank export without a header row is read without one, every booking a row, the summary says why; --header reads its first booking as names', async () => {
    const bytes = fixture('targobank-umsaetze.csv');
    const expected = bookings(bytes.toString('utf8'));
    expect(expected).toHaveLength(5);
    const p = file(`targobank_${engine}.csv`, bytes);
    const stream = `targobank_${engine}`;

    // Its first line holds a date and an amount: a booking, not column names.
    const r = await run(db(), [p]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: expected.length, invalid: 0, warning: 0 });
    expect(r.notes[0]).toBe(
      `targobank_${engine}.csv: line 1 ("03.11.2025", "Echtzeitüberweisung   ERIKA BEISPIEL   DE02100100100006820101   TRBKDEBBXXX   Miete November ", "-5,00", "", …) ` +
        'reads as a record, not as column names: read without a header row, every line a row keyed column_1, column_2…; --header reads that line as the names',
    );
    const stored = await rows(db(), stream);
    expect(stored.map((x) => x.metadata?.line)).toEqual([1, 2, 3, 4, 5]);
    expect(stored[0].raw_data).toEqual({
      column_1: '03.11.2025',
      column_2: 'Echtzeitüberweisung   ERIKA BEISPIEL   DE02100100100006820101   TRBKDEBBXXX   Miete November ',
      column_3: '-5,00', column_4: '', column_5: '', column_6: '', column_7: "'DE02300209000106531065'",
    });
    // The two equal card payments stay two records; the dates were found by name-free detection.
    expect(new Set(stored.map((x) => x.raw_id)).size).toBe(5);
    expect(stored[0].source_timestamp?.toISOString()).toBe('2025-11-03T00:00:00.000Z');
    // The same rows, the same ids, as --no-header gives them.
    expect(await run(db(), [p], { force: true, options: { noHeader: true } })).toMatchObject({ inserted: 0, unchanged: 5 });

    // --header: the first booking names the columns, as before 2026-12-01. Not silent: every row says so.
    const named = await run(db(), [p], { force: true, options: { noHeader: false } });
    expect(named).toMatchObject({ status: 'succeeded', inserted: 4, warning: 4 });
    const misread = (await rows(db(), stream)).filter((x) => x.raw_data.column_1 === undefined);
    expect(misread).toHaveLength(4);
    expect(misread[0].error_message).toBe(
      'the header row (line 1) looks like data ("03.11.2025", "-5,00"): if the file has no header row, import it again with --no-header --force (columns column_1, column_2…)',
    );
  });

  // Exports without a header row holding a single booking (a DBS or Barclaycard statement of one
  // purchase) gave "0 records … not marked imported" until they were read as a record.
  it('a one-line export without a header row is one record; with --header the summary says it was only a header', async () => {
    const stream = `one_line_${engine}`;
    const p = file(`${stream}.csv`, "27 Feb 2025,UMC-, 7.80, ,MCDONALD'S (KIOSK) SI NG 22FEB,,,\n");
    const r = await run(db(), [p]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 1, invalid: 0 });
    expect(r.notes[0]).toMatch(new RegExp(`^${stream}\\.csv: line 1 \\("27 Feb 2025", "UMC-", " 7\\.80", " ", …\\) reads as a record`));
    expect((await rows(db(), stream))[0].raw_data).toMatchObject({ column_1: '27 Feb 2025', column_3: ' 7.80', column_8: '' });
    expect((await rows(db(), stream))[0].source_timestamp?.toISOString()).toBe('2025-02-27T00:00:00.000Z');
    const other = file(`${stream}_named.csv`, "27 Feb 2025,UMC-, 7.80, ,MCDONALD'S (KIOSK) SI NG 22FEB,,,\n");
    const named = await run(db(), [other], { options: { noHeader: false } });
    expect(named).toMatchObject({ inserted: 0 });
    expect(named.notes.join('\n')).toContain(`${stream}_named.csv: only a header row (line 1: "27 Feb 2025", "UMC-", " 7.80", " ", "MCDONALD'S (KIOSK) SI NG 22FEB", "", "", ""), nothing below it: if that line is data, import it again with --no-header`);
  });

  // A names line narrower than the bookings (here 3 names over 5 fields) is passed over by the
  // detection; the first booking was then the header: no row of its own, only the others' keys.
  it('a names line above wider bookings: every booking a row, the names line the preamble, the note names it', async () => {
    const stream = `narrow_names_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, 'Date;Payee;Amount\n2024-01-02;Shop;-10,00;EUR;ref 1\n2024-01-03;Cafe;-3,50;EUR;ref 2\n')]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3, invalid: 0, warning: 0 });
    const stored = await rows(db(), stream);
    expect(stored.map((s) => s.raw_data)).toEqual([
      { preamble: ['Date;Payee;Amount'] },
      { column_1: '2024-01-02', column_2: 'Shop', column_3: '-10,00', column_4: 'EUR', column_5: 'ref 1' },
      { column_1: '2024-01-03', column_2: 'Cafe', column_3: '-3,50', column_4: 'EUR', column_5: 'ref 2' },
    ]);
    expect(r.notes[0]).toBe(
      `${stream}.csv: line 2 ("2024-01-02", "Shop", "-10,00", "EUR", …) reads as a record, not as column names: read without a header row, every line a row keyed column_1, column_2…; ` +
        '--header reads that line as the names; line 1 (Date;Payee;Amount) reads as names, kept in the preamble record: --skip-lines 0 reads it as the header',
    );
  });

  // One name that reads as a value (a balance column named by its day) is no record: it stays the
  // header, and the rows say it looks like data, as before.
  it('a real header with one value-like name stays the header; --header with --no-header is a usage error', async () => {
    const stream = `one_value_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, 'Date,Payee,31.12.2024\n2025-01-02,Shop,5\n')]);
    expect(r).toMatchObject({ inserted: 1, warning: 1 });
    expect((await rows(db(), stream))[0].raw_data).toEqual({ Date: '2025-01-02', Payee: 'Shop', '31.12.2024': '5' });
    expect(() => configureManual({}, { header: true, noHeader: true })).toThrow('--header and --no-header contradict each other: pass one');
  });

  it('a header that names a column twice (Monefy: currency, converted amount, currency) is imported, the later column keyed currency#2', async () => {
    const bytes = fixture('monefy-export.csv');
    const stream = `monefy_${engine}`;
    const r = await run(db(), [file(`monefy_${engine}.csv`, bytes)]);
    const dataLines = bytes.toString('utf8').trim().split('\n').length - 1;
    expect(r).toMatchObject({ status: 'succeeded', inserted: dataLines, invalid: 0 });
    expect(r.notes).toContain(`monefy_${engine}.csv: line 1 names "currency" more than once; the later columns are keyed "<name>#2", "#3"…`);
    const stored = await rows(db(), stream);
    expect(stored[2].raw_data).toEqual({
      date: '07/12/2021', account: 'Card', category: 'Salary', amount: '2500', currency: 'EUR', 'converted amount': '2710.5', 'currency#2': 'USD', description: 'december salary',
    });
  });

  it('a row repeating the header (a statement converted from PDF repeats it on every page) is kept as written, warning, and not sampled for the timestamp field', async () => {
    const stream = `paged_${engine}`;
    const text = 'Date;Text;Amount\n01.03.2025;Bakery;-3,10\n02.03.2025;Rent;-750,00\nDate;Text;Amount\n03.03.2025;Bike;-42,50\nDate;Text;Amount\n';
    const r = await run(db(), [file(`${stream}.csv`, text)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 5, warning: 2, invalid: 0 });
    const stored = await rows(db(), stream);
    expect(stored.filter((s) => s.validation_status === 'warning').map((s) => [s.metadata?.line, s.error_message])).toEqual([
      [4, expect.stringMatching(/^line 4 repeats the header row \(line 1\): no record of the table/)],
      [6, expect.stringMatching(/^line 6 repeats the header row \(line 1\): no record of the table/)],
    ]);
    const valid = stored.filter((s) => s.validation_status === 'valid');
    expect(valid.map((s) => s.raw_data.Text)).toEqual(['Bakery', 'Rent', 'Bike']);
    // 2 of 5 rows say "Date" under Date: sampled, the column would be no date column (80% rule).
    expect(valid.map((s) => s.source_timestamp?.toISOString())).toEqual(['2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z', '2025-03-03T00:00:00.000Z']);
  });
});
