import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseActivityDate } from '../src/activity-date.js';
import { classifyEntry } from '../src/export-layout.js';
import { gunzipPartial } from '../src/gunzip.js';
import { parseXmlDocument } from '../src/xml-document.js';
import { gpxTime, tcxTime } from '../src/streams/xml-files.js';
import { activitiesLayoutOf } from '../src/activities-layout.js';
import { ACTIVITIES_HEADER, fixture } from './helpers/export-zip.js';
import { GERMAN_HEADER } from './helpers/german-export.js';

describe('activities.csv dates', () => {
  it('reads the English export format and the older ISO one as UTC; anything else is no date', () => {
    expect(parseActivityDate('Jan 4, 2020, 2:57:37 PM')?.toISOString()).toBe('2020-01-04T14:57:37.000Z');
    expect(parseActivityDate('Oct 01, 2024, 12:05:00 AM')?.toISOString()).toBe('2024-10-01T00:05:00.000Z');
    expect(parseActivityDate('Jul 2, 2023, 12:01:37 PM')?.toISOString()).toBe('2023-07-02T12:01:37.000Z');
    expect(parseActivityDate('2014-09-12 16:54:28')?.toISOString()).toBe('2014-09-12T16:54:28.000Z');
    // French exports: the fr-FR medium date and time (CLDR), as the English and German ones are en-US's and de-DE's.
    expect(parseActivityDate('4 janv. 2020, 14:57:37')?.toISOString()).toBe('2020-01-04T14:57:37.000Z');
    expect(parseActivityDate('29 févr. 2024, 06:05:00')?.toISOString()).toBe('2024-02-29T06:05:00.000Z');
    expect(parseActivityDate('15 août 2023, 23:59:59')?.toISOString()).toBe('2023-08-15T23:59:59.000Z');
    expect(parseActivityDate('1 déc. 2021, 00:00:00')?.toISOString()).toBe('2021-12-01T00:00:00.000Z');
    // The same written with combining accents (NFD) is the same date; another language's month is none.
    expect(parseActivityDate('1 de\u0301c. 2021, 00:00:00')?.toISOString()).toBe('2021-12-01T00:00:00.000Z');
    expect(parseActivityDate('4 ene 2020, 14:57:37')).toBeUndefined();
    expect(parseActivityDate('30 févr. 2024, 06:05:00')).toBeUndefined();
    // German exports: day first, 24-hour clock (a real row: geo-activity-playground issue #86).
    expect(parseActivityDate('09.12.2022, 15:24:49')?.toISOString()).toBe('2022-12-09T15:24:49.000Z');
    expect(parseActivityDate('30.02.2022, 15:24:49')).toBeUndefined();
    expect(parseActivityDate('09.12.2022, 24:00:00')).toBeUndefined();
    expect(parseActivityDate('')).toBeUndefined();
  });
});

describe('activities.csv layouts', () => {
  it('knows a header by its whole signature, in any column order, never by one column', () => {
    expect(activitiesLayoutOf(ACTIVITIES_HEADER.split(','))?.name).toBe('English');
    expect(activitiesLayoutOf(GERMAN_HEADER.split(','))?.name).toBe('German');
    expect(activitiesLayoutOf(fixture('strava_activities_header_fr.csv').toString('utf8').trimEnd().split(','))?.name).toBe('French');
    expect(activitiesLayoutOf('id,date,name,type,description,elapsed_time,distance,commute,gear,filename'.split(','))?.name).toBe('English, before 2019');
    expect(activitiesLayoutOf(['Filename', 'Activity Type', 'Activity Name', 'Activity Date', 'Activity ID'])?.name).toBe('English');
    expect(activitiesLayoutOf(['id', 'date', 'name'])).toBeUndefined();
    expect(activitiesLayoutOf(['Activity ID', 'Date'])).toBeUndefined();
  });
});

describe('export layout', () => {
  it('tells CSVs, activity files and the rest apart', () => {
    expect(classifyEntry('activities.csv')).toEqual({ type: 'csv', stream: 'export_activities' });
    expect(classifyEntry('new_in_2027.csv')).toEqual({ type: 'csv', stream: 'export_other_csv' });
    expect(classifyEntry('activities/1.fit.gz')).toEqual({ type: 'activity_file', format: 'fit', gzip: true });
    expect(classifyEntry('routes/1.gpx')).toEqual({ type: 'activity_file', format: 'gpx', gzip: false });
    expect(classifyEntry('clubs/x.csv')).toEqual({ type: 'other' });
    expect(classifyEntry('media/a.jpg')).toEqual({ type: 'other' });
  });
});

describe('XML documents', () => {
  it('parses a TCX that starts with whitespace (as Garmin writes them) and says how much was skipped', () => {
    const doc = parseXmlDocument(Buffer.concat([Buffer.from('   \n'), fixture('athlytics_example.tcx')]));
    expect(doc.root).toBe('TrainingCenterDatabase');
    expect(doc.leadingWhitespace).toBe(4);
    expect(tcxTime(doc.value)?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('keeps attributes as written, children as arrays, and __proto__ as a key', () => {
    const doc = parseXmlDocument(Buffer.from('<gpx v="1.1"><__proto__ a="1"/><trk><name>x</name></trk><trk/></gpx>'));
    expect(JSON.stringify(doc.value)).toBe('{"v":"1.1","__proto__":[{"a":"1"}],"trk":[{"name":[{"#text":"x"}]},{}]}');
    expect(Object.getPrototypeOf(doc.value)).toBe(Object.prototype);
  });

  it('names the line and column of broken XML', () => {
    expect(() => parseXmlDocument(Buffer.from('<gpx>\n<trk></gpx>'))).toThrow(/XML broken at line 2, column \d+/);
  });

  it('finds a GPX file’s time: metadata, else the first point', () => {
    expect(gpxTime(parseXmlDocument(fixture('sportipy_1.gpx')).value)?.toISOString()).toBe('2022-07-11T09:03:20.000Z');
    expect(gpxTime(parseXmlDocument(fixture('gpxpy_korita-zbevnica.gpx')).value)?.toISOString()).toBe('2010-10-04T05:13:19.000Z');
  });
});

describe('gunzipPartial', () => {
  it('keeps what inflated before the damage and says where zlib stopped', async () => {
    const plain = fixture('tcxparser_test.tcx');
    const gz = gzipSync(plain);
    expect((await gunzipPartial(gz, 1 << 20)).bytes.equals(plain)).toBe(true);
    const cut = await gunzipPartial(gz.subarray(0, 4000), 1 << 20);
    expect(cut.error).toBe('unexpected end of file');
    expect(cut.at).toBe(4000);
    expect(cut.bytes.length).toBeGreaterThan(4000);
    expect(plain.subarray(0, cut.bytes.length).equals(cut.bytes)).toBe(true);
    expect((await gunzipPartial(gz, 1000)).overLimit).toBe(true);
  });
});
