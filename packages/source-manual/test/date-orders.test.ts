import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { dateOrderOf } from '../src/date-order.js';
import { chooseTimestampField } from '../src/timestamp-field.js';
import { readInstant } from '../src/timestamp.js';
import { file, rows, run } from './helpers.js';

const real = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/bank2ynab/${name}`, import.meta.url)));
const iso = (v: unknown) => readInstant(v)?.at?.toISOString();
const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString();

describe('dates whose order the values tell', () => {
  it('a day above 12 settles DD/MM/YYYY, a second number above 12 MM/DD/YYYY, with / or -', () => {
    const col = (...v: string[]) => v.map((d) => ({ d }));
    expect(dateOrderOf(col('01/09/2017', '13/09/2017'), 'd')).toMatchObject({ format: { pattern: 'DD/MM/YYYY' }, proof: '13/09/2017' });
    expect(dateOrderOf(col('12/06/2021', '12/31/2021'), 'd')).toMatchObject({ format: { pattern: 'MM/DD/YYYY' }, proof: '12/31/2021' });
    expect(dateOrderOf(col('03-03-2025', '15-03-2025 10:00'), 'd')).toMatchObject({ format: { pattern: 'DD-MM-YYYY' } });
    // Nothing above 12, or both orders proven: nothing is guessed.
    expect(dateOrderOf(col('01/09/2017', '12/09/2017'), 'd')).toEqual({ ambiguous: '01/09/2017' });
    expect(dateOrderOf(col('13/01/2017', '01/13/2017'), 'd')).toEqual({ ambiguous: '13/01/2017' });
    expect(dateOrderOf(col('2017-01-13', 'x'), 'd')).toBeUndefined();
    // 32 is no day: no proof of anything.
    expect(dateOrderOf(col('32/01/2017'), 'd')).toEqual({ ambiguous: '32/01/2017' });
  });

  it('the field is chosen with the order it proves, and the note says how it was read', () => {
    const c = chooseTimestampField('f', [{ Date: '12/08/2025' }, { Date: '31/08/2025' }], {});
    expect(c.field).toBe('Date');
    expect(c.format?.pattern).toBe('DD/MM/YYYY');
    expect(c.note).toBe('source_timestamp from Date, read as DD/MM/YYYY ("31/08/2025" can only be day first; --date-format reads it otherwise)');
    const us = chooseTimestampField('f', [{ when: '08/31/2025' }], { field: 'when' });
    expect(us.format?.pattern).toBe('MM/DD/YYYY');
    const open = chooseTimestampField('f', [{ Date: '10/02/2018' }], {});
    expect(open).toEqual({ note: expect.stringMatching(/^no source_timestamp: Date \("10\/02\/2018"\) holds dates that may be day or month first.*--date-format DD\/MM\/YYYY or MM\/DD\/YYYY/) });
  });

  it('month names, Hungarian trailing dots and eight-digit dates read without --date-format', () => {
    expect(iso('12-Dec-2019')).toBe(day(2019, 12, 12));
    expect(iso('27 Feb 2018')).toBe(day(2018, 2, 27));
    expect(iso('10 Feb 18')).toBe(day(2018, 2, 10));
    expect(iso('3 September 2024')).toBe(day(2024, 9, 3));
    expect(iso('05 Mär 2024')).toBe(day(2024, 3, 5));
    expect(iso('05-mrt-2024')).toBe(day(2024, 3, 5));
    expect(iso('2019.04.19.')).toBe(day(2019, 4, 19));
    expect(iso('20180226')).toBe(day(2018, 2, 26));
    expect(readInstant('31 Feb 2018')).toEqual({ problem: '"31 Feb 2018" is not a valid date' });
    // Twitter/X's created_at and RFC 2822 (e-mail, RSS), their zone applied.
    expect(iso('Mon May 13 08:15:02 +0000 2024')).toBe('2024-05-13T08:15:02.000Z');
    expect(iso('Tue May 14 19:40:11 +0200 2024')).toBe('2024-05-14T17:40:11.000Z');
    expect(iso('Mon, 13 May 2024 08:15:02 -0500')).toBe('2024-05-13T13:15:02.000Z');
    expect(iso('13 May 2024 08:15 GMT')).toBe('2024-05-13T08:15:00.000Z');
    expect(readInstant('Fri Feb 30 08:15:02 +0000 2024')).toEqual({ problem: '"Fri Feb 30 08:15:02 +0000 2024" is not a valid date' });
    expect(readInstant('12 Foo 2018')).toBeUndefined();
    // Eight digits that are no date stay a number: no problem, no date.
    expect(readInstant('20181345')).toBeUndefined();
    expect(readInstant('12345678')).toBeUndefined();
  });
});

/** Day-first `DD/MM/YYYY` at the start of each data line, read without the code under test. */
const leadingDates = (text: string) =>
  text.split(/\r?\n/).slice(1).filter(Boolean).map((line) => {
    const [d, m, y] = line.split(/[,;]/)[0].split('/').map(Number);
    return day(y, m, d);
  });

describeOneEngine('real bank exports: dates read as they are written', (db, engine) => {
  it("Bank of Ireland (27 bookings, DD/MM/YYYY): every booking gets its day, the summary says why", async () => {
    const bytes = real('boi-transaction-export.csv');
    const stream = `boi_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, bytes)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 27, invalid: 0, warning: 0 });
    expect(r.notes).toContain(`${stream}.csv: source_timestamp from Date, read as DD/MM/YYYY ("13/09/2017" can only be day first; --date-format reads it otherwise)`);
    const stored = await rows(db(), stream);
    expect(stored.map((x) => x.source_timestamp?.toISOString())).toEqual(leadingDates(bytes.toString('utf8')));
  });

  it('KBC Mastercard (3 bookings, `;`, no final newline): "datum verrichting" day-first', async () => {
    const bytes = real('kbc-mastercard.csv');
    const stream = `kbc_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, bytes)]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3, invalid: 0 });
    const expected = bytes.toString('utf8').split('\n').slice(1).map((l) => {
      const [d, m, y] = l.split(';')[3].split('/').map(Number);
      return day(y, m, d);
    });
    expect((await rows(db(), stream)).map((x) => x.source_timestamp?.toISOString())).toEqual(expected);
  });

  it('M&S card statement (13 rows, 12-Dec-2019): dated rows get their day, "Pending" ones a warning naming it', async () => {
    const bytes = real('ms-credit-card.csv');
    // 10 dates in 13 values is under the 80% that picks a field unasked: the summary names it.
    const unasked = await run(db(), [file(`ms_unasked_${engine}.csv`, bytes)]);
    expect(unasked.notes).toEqual([
      `ms_unasked_${engine}.csv: no source_timestamp: Date Processed holds dates in 10 of its 13 values in the first rows, not in 80% ("Pending" is no date): pass --timestamp-field "Date Processed" to read them (the others are stored with a warning)`,
    ]);
    const stream = `ms_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, bytes)], { options: { timestampField: 'Date Processed' } });
    expect(r).toMatchObject({ status: 'succeeded', inserted: 13, invalid: 0, warning: 3 });
    const months: Record<string, number> = { Dec: 12 };
    const expected = bytes.toString('utf8').split(/\r?\n/).slice(1).filter(Boolean).map((l) => {
      const [d, mon, y] = l.split(',')[0].split('-');
      return mon ? day(Number(y), months[mon], Number(d)) : undefined;
    });
    const stored = await rows(db(), stream);
    expect(stored.map((x) => x.source_timestamp?.toISOString())).toEqual(expected);
    expect(stored[0].error_message).toBe('timestamp: Date Processed is "Pending", not a date');
  });

  it('one booking on 10/02/2018 tells no order: no timestamp, and the summary says which --date-format to pass', async () => {
    const stream = `uk_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, real('uk-ambiguous-one-row.csv'))]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 1, warning: 0 });
    expect(r.notes[0]).toMatch(/Date \("10\/02\/2018"\) holds dates that may be day or month first/);
    expect((await rows(db(), stream))[0].source_timestamp).toBeNull();
    const again = await run(db(), [file(`${stream}2.csv`, real('uk-ambiguous-one-row.csv'))], { options: { dateFormat: 'DD/MM/YYYY' } });
    expect(again.notes[0]).toBe(`${stream}2.csv: source_timestamp from Date`);
    expect((await rows(db(), `${stream}2`))[0].source_timestamp?.toISOString()).toBe(day(2018, 2, 10));
  });

  it('a headerless statement line dated 10 Feb 18 is one dated record with --no-header', async () => {
    const stream = `headerless_${engine}`;
    const r = await run(db(), [file(`${stream}.csv`, real('headerless-statement.csv'))], { options: { noHeader: true } });
    expect(r).toMatchObject({ status: 'succeeded', inserted: 1, warning: 0 });
    expect(r.notes).toEqual([`${stream}.csv: source_timestamp from column_1`]);
    expect((await rows(db(), stream))[0].source_timestamp?.toISOString()).toBe(day(2018, 2, 10));
  });

  it('a Hungarian export (2019.04.19.) is dated; a later row that breaks the proven order is a warning, not a wrong day', async () => {
    const hu = `hu_${engine}`;
    const r = await run(db(), [file(`${hu}.csv`, real('hu-ebh.csv'))]);
    expect(r).toMatchObject({ inserted: 2, warning: 0 });
    expect((await rows(db(), hu)).map((x) => x.source_timestamp?.toISOString())).toEqual([day(2019, 4, 19), day(2019, 4, 17)]);
    const mixed = `mixed_${engine}`;
    const body = ['Date,Amount', '25/08/2025,1', ...Array.from({ length: 120 }, (_, i) => `0${(i % 9) + 1}/08/2025,${i}`), '08/26/2025,2'].join('\n');
    const m = await run(db(), [file(`${mixed}.csv`, `${body}\n`)]);
    expect(m).toMatchObject({ inserted: 122, warning: 1 });
    const last = (await rows(db(), mixed)).at(-1)!;
    expect([last.source_timestamp, last.error_message]).toEqual([null, 'timestamp: Date: "08/26/2025" is not a valid date (DD/MM/YYYY); stored without source_timestamp']);
  });
});
