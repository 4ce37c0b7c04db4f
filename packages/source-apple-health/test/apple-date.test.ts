import { expect, it } from 'vitest';
import { parseAppleDate, parseCalendarDay, parseHl7Time } from '../src/index.js';

it('reads Apple dates as the instant they name, in any offset', () => {
  expect(parseAppleDate('2019-08-11 10:09:57 -0700')!.toISOString()).toBe('2019-08-11T17:09:57.000Z');
  expect(parseAppleDate('2021-03-28 02:30:00 +0130')!.toISOString()).toBe('2021-03-28T01:00:00.000Z');
  expect(parseAppleDate('2020-12-31 23:59:59 +0000')!.toISOString()).toBe('2020-12-31T23:59:59.000Z');
  expect(parseAppleDate('2020-06-01T10:00:00Z')!.toISOString()).toBe('2020-06-01T10:00:00.000Z');
  expect(parseAppleDate(undefined)).toBeUndefined();
  // iOS 8 exports (2014–2015) wrote the same without separators.
  expect(parseAppleDate('20150604061200+0100')!.toISOString()).toBe('2015-06-04T05:12:00.000Z');
  expect(parseAppleDate('20140104084300-0800')!.toISOString()).toBe('2014-01-04T16:43:00.000Z');
  expect(() => parseAppleDate('20151304061200+0100')).toThrow(/"20151304061200\+0100" names no such day/);
  expect(() => parseAppleDate('2015060406120x+0100')).toThrow(/is not a date/);
});

it('refuses other text, naming it', () => {
  expect(() => parseAppleDate('2019-08-11 10:09:57')).toThrow(/"2019-08-11 10:09:57" is not a date/);
  expect(() => parseAppleDate('2019-0a-11 10:09:57 -0700')).toThrow(/is not a date/);
  expect(() => parseCalendarDay('11/08/2019')).toThrow(/is not a calendar day/);
  expect(parseCalendarDay('2016-11-15')!.toISOString()).toBe('2016-11-15T00:00:00.000Z');
});

it('reads years 0001–0099 as themselves, never as 1900–1999', () => {
  expect(parseAppleDate('0050-03-01 12:00:00 +0000')!.toISOString()).toBe('0050-03-01T12:00:00.000Z');
  expect(parseAppleDate('0001-01-01 01:00:00 +0100')!.toISOString()).toBe('0001-01-01T00:00:00.000Z');
  expect(parseAppleDate('0099-12-31T23:59:59.5+01:00')!.toISOString()).toBe('0099-12-31T22:59:59.500Z');
  expect(parseCalendarDay('0012-06-30')!.toISOString()).toBe('0012-06-30T00:00:00.000Z');
});

it('gives no instant, naming the text, for days that do not exist and instants outside years 0001–9999', () => {
  expect(() => parseAppleDate('2024-02-30 10:00:00 +0000')).toThrow(/"2024-02-30 10:00:00 \+0000" names no such day/);
  expect(() => parseAppleDate('2023-02-29 10:00:00 +0000')).toThrow(/names no such day/);
  expect(parseAppleDate('2024-02-29 10:00:00 +0000')!.toISOString()).toBe('2024-02-29T10:00:00.000Z');
  expect(() => parseAppleDate('2024-01-01 24:00:00 +0000')).toThrow(/names no such day or time/);
  expect(() => parseAppleDate('0000-01-01 00:00:00 +0000')).toThrow(/"0000-01-01 00:00:00 \+0000" is outside the years 0001–9999/);
  expect(() => parseAppleDate('0001-01-01 00:30:00 +0100')).toThrow(/is outside the years/);
  expect(() => parseAppleDate('9999-12-31 23:59:59 -0800')).toThrow(/"9999-12-31 23:59:59 -0800" is outside the years/);
  expect(parseAppleDate('9999-12-31 23:59:59 +0000')!.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  expect(() => parseCalendarDay('2021-04-31')).toThrow(/names no such day/);
});

it('reads HL7 times of export_cda.xml', () => {
  expect(parseHl7Time('20190719103611-0700')!.toISOString()).toBe('2019-07-19T17:36:11.000Z');
  expect(parseHl7Time('20190719')!.toISOString()).toBe('2019-07-19T00:00:00.000Z');
  expect(() => parseHl7Time('2019-07-19')).toThrow(/not an HL7 time/);
});
