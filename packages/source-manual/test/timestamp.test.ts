import { describe, expect, it } from 'vitest';
import { chooseTimestampField, compileDateFormat, readInstant } from '../src/index.js';

const iso = (v: unknown, f?: string) => readInstant(v, f ? compileDateFormat(f) : undefined)?.at?.toISOString();

describe('reading instants', () => {
  it('ISO with and without zone (UTC), day-first dotted dates, --date-format, epoch numbers', () => {
    expect(iso('2024-03-01T08:00:00+01:00')).toBe('2024-03-01T07:00:00.000Z');
    expect(iso('2020-01-01 03:09')).toBe('2020-01-01T03:09:00.000Z');
    expect(iso('2024-03-01T08:00:00.0')).toBe('2024-03-01T08:00:00.000Z');
    expect(iso('2024-01-01 10:00:00 -0800')).toBe('2024-01-01T18:00:00.000Z');
    expect(iso('12.08.2025')).toBe('2025-08-12T00:00:00.000Z');
    expect(iso('08.12.25')).toBe('2025-12-08T00:00:00.000Z');
    expect(iso('12.08.2025 14:30')).toBe('2025-08-12T14:30:00.000Z');
    // Year first is never ambiguous: 2018/05/21 (a Czech bank's export), 2018.05.21 14:30.
    expect(iso('2018/05/21')).toBe('2018-05-21T00:00:00.000Z');
    expect(iso('2018.05.21 14:30')).toBe('2018-05-21T14:30:00.000Z');
    expect(readInstant('2018/02/30')).toEqual({ problem: expect.stringContaining('"2018/02/30" is not a valid date') });
    expect(iso('12/08/2025', 'DD/MM/YYYY')).toBe('2025-08-12T00:00:00.000Z');
    expect(iso('08/12/2025', 'MM/DD/YYYY')).toBe('2025-08-12T00:00:00.000Z');
    expect(iso('12/08/2025')).toBeUndefined();
    expect(iso(1_700_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(iso(1_700_000_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(iso(152293)).toBeUndefined(); // msPlayed is not a date
    expect(iso('0050-06-01')).toBe('0050-06-01T00:00:00.000Z'); // not 1950
  });

  it('a date that does not exist is a problem, never rolled over', () => {
    for (const v of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-02-28T24:00:00Z', '31.04.2025']) {
      expect(readInstant(v), v).toEqual({ problem: expect.stringContaining(`"${v}" is not a valid date`) });
    }
    expect(iso('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('choosing the timestamp field', () => {
  it('prefers known names, then name shapes, then any field of dates; says none and how to set it', () => {
    expect(chooseTimestampField('f', [{ msPlayed: 1200, endTime: '2020-01-01 03:09' }], {}).field).toBe('endTime');
    expect(chooseTimestampField('f', [{ Buchung: '31.01.2025', Wertstellungsdatum: '30.01.2025' }], {}).field).toBe('Buchung');
    expect(chooseTimestampField('f', [{ endpoint: '/x', started: 'soon', when: '2024-01-01' }], {}).field).toBe('when');
    // A column of digits read as text is no date by its values alone: a Czech bank's "Specific symbol"
    // (1111111111) or an account number was taken for UNIX seconds (2005-03-18). Named, it may be one.
    const czech = [{ 'Posting date': '2018/05/21', 'Specific symbol': '1111111111', 'Variable symbol 1': '0000001234' }];
    expect(chooseTimestampField('f', czech, {}).field).toBe('Posting date');
    expect(chooseTimestampField('f', czech.map(({ 'Posting date': _, ...rest }) => rest), {}).field).toBeUndefined();
    expect(chooseTimestampField('f', [{ ref: '1111111111', created_at: '1700000000' }], {}).field).toBe('created_at');
    expect(chooseTimestampField('f', [{ ref: 'A1', when: '2024-01-01' }], {}).field).toBe('when');
    const none = chooseTimestampField('f', [{ a: 'x', n: 5 }], {});
    expect(none).toEqual({ field: undefined, note: expect.stringMatching(/^no source_timestamp: .*pass --timestamp-field FIELD/) });
  });

  it('a --date-format no value matches is an error naming the file and an example', () => {
    expect(() => chooseTimestampField('/data/x.csv', [{ Datum: '2025-01-01' }], { format: compileDateFormat('DD.MM.YYYY') })).toThrow(
      '/data/x.csv: --date-format DD.MM.YYYY matches no value in the first 1 rows (e.g. Datum: "2025-01-01"); pass the format the dates are written in',
    );
    // The example is a date field's value, not the first column's (an id).
    expect(() => chooseTimestampField('/data/w.csv', [{ id: '1', date: '2024-01-02', kg: '80' }], { format: compileDateFormat('DD.MM.YYYY') })).toThrow('(e.g. date: "2024-01-02")');
  });
});
