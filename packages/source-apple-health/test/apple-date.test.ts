import { expect, it } from 'vitest';
import { parseAppleDate, parseCalendarDay } from '../src/index.js';

it('reads Apple dates as the instant they name, in any offset', () => {
  expect(parseAppleDate('2019-08-11 10:09:57 -0700')!.toISOString()).toBe('2019-08-11T17:09:57.000Z');
  expect(parseAppleDate('2021-03-28 02:30:00 +0130')!.toISOString()).toBe('2021-03-28T01:00:00.000Z');
  expect(parseAppleDate('2020-12-31 23:59:59 +0000')!.toISOString()).toBe('2020-12-31T23:59:59.000Z');
  expect(parseAppleDate('2020-06-01T10:00:00Z')!.toISOString()).toBe('2020-06-01T10:00:00.000Z');
  expect(parseAppleDate(undefined)).toBeUndefined();
});

it('refuses other text, naming it', () => {
  expect(() => parseAppleDate('2019-08-11 10:09:57')).toThrow(/"2019-08-11 10:09:57" is not a date/);
  expect(() => parseAppleDate('2019-0a-11 10:09:57 -0700')).toThrow(/is not a date/);
  expect(() => parseCalendarDay('11/08/2019')).toThrow(/is not a calendar day/);
  expect(parseCalendarDay('2016-11-15')!.toISOString()).toBe('2016-11-15T00:00:00.000Z');
});
