import { Readable } from 'node:stream';
import { activity, fitDay, fitSession, locationText, subscriptionRow, timelineObject } from './records.js';

export interface TakeoutScale {
  /** Records.json elements. */
  locations: number;
  /** timelineObjects, spread over monthly files of 100. */
  semantic: number;
  /** Entries of each My Activity product (Search, YouTube, Maps) and of watch and search history. */
  activities: number;
  subscriptions: number;
  /** Days of Fit daily metrics (96 rows each) and of Fit sessions. */
  fitDays: number;
  /** Bytes of incompressible "photos" (Google Photos goes to `other`), to make the export large. */
  photoBytes?: number;
}

export interface GeneratedEntry {
  name: string;
  /** The bytes, generated as they are read: a 1.5 GB Records.json is never in memory. */
  open(): Readable;
}

/** A JSON array of `n` elements, written as Google indents it, as a stream. */
function jsonArray(n: number, element: (i: number) => string, head = '[', tail = ']'): Readable {
  return Readable.from((function* () {
    yield `${head}\n  `;
    for (let i = 0; i < n; i += 1000) {
      const part: string[] = [];
      for (let j = i; j < Math.min(n, i + 1000); j++) part.push(element(j));
      yield part.join(',\n  ') + (i + 1000 < n ? ',\n  ' : '');
    }
    yield `\n${tail}\n`;
  })());
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const text = (s: string) => () => Readable.from([Buffer.from(s)]);
const pretty = (o: object) => JSON.stringify(o, null, 2).replace(/\n/g, '\n  ');

/**
 * A Takeout laid out like Google's (English names), with the records of records.ts: a
 * larger scale gives a superset of a smaller one, record for record, so an export
 * generated at a larger scale overlaps an earlier one like a later Takeout does.
 */
export function generateTakeout(s: TakeoutScale): GeneratedEntry[] {
  const entries: GeneratedEntry[] = [
    { name: 'Takeout/archive_browser.html', open: text('<html><body><h1>Archive overview</h1></body></html>\n') },
    { name: 'Takeout/Location History/Records.json', open: () => jsonArray(s.locations, locationText, '{\n  "locations": [', ']\n}') },
    { name: 'Takeout/Location History/Settings.json', open: text('{\n  "createdTime": "2013-02-01T10:00:00.000Z",\n  "historyEnabled": true\n}\n') },
  ];
  for (let m = 0; m * 100 < s.semantic; m++) {
    const n = Math.min(100, s.semantic - m * 100);
    const year = 2021 + Math.floor(m / 12);
    entries.push({ name: `Takeout/Location History/Semantic Location History/${year}/${year}_${MONTHS[m % 12]}.json`, open: () => jsonArray(n, (i) => pretty(timelineObject(m * 100 + i)), '{\n  "timelineObjects": [', ']\n}') });
  }
  // Newest first, like Google: entry i of an export of n entries is element n-1-i.
  const newestFirst = (n: number, product: string, verb?: string) => () => jsonArray(n, (i) => pretty(activity(n - 1 - i, product, verb)));
  for (const product of ['Search', 'YouTube', 'Maps']) entries.push({ name: `Takeout/My Activity/${product}/MyActivity.json`, open: newestFirst(s.activities, product) });
  entries.push({ name: 'Takeout/YouTube and YouTube Music/history/watch-history.json', open: newestFirst(s.activities, 'YouTube', 'Watched') });
  entries.push({ name: 'Takeout/YouTube and YouTube Music/history/search-history.json', open: newestFirst(s.activities, 'YouTube', 'Searched for') });
  entries.push({ name: 'Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv', open: text(`Channel Id,Channel Url,Channel Title\n${Array.from({ length: s.subscriptions }, (_, i) => subscriptionRow(i)).join('\n')}\n`) });
  for (let d = 0; d < s.fitDays; d++) {
    const day = fitDay(d);
    const session = fitSession(d);
    entries.push({ name: `Takeout/Fit/Daily activity metrics/${day.name}`, open: text(day.text) });
    entries.push({ name: `Takeout/Fit/All sessions/${session.name}`, open: text(JSON.stringify(session.doc, null, 2)) });
  }
  const photos = Math.ceil((s.photoBytes ?? 0) / (64 * 1024 * 1024));
  for (let p = 0; p < photos; p++) {
    const bytes = Math.min(64 * 1024 * 1024, (s.photoBytes ?? 0) - p * 64 * 1024 * 1024);
    entries.push({ name: `Takeout/Google Photos/Photos from 2021/IMG_${String(p).padStart(4, '0')}.jpg`, open: () => noise(bytes, p) });
  }
  return entries;
}

/** Incompressible bytes (xorshift), like a photo. */
function noise(bytes: number, seed: number): Readable {
  return Readable.from((function* () {
    let x = (seed + 1) * 0x9e3779b1;
    for (let left = bytes; left > 0; left -= 1 << 20) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, left));
      for (let i = 0; i + 4 <= buf.length; i += 4) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        buf.writeInt32LE(x | 0, i);
      }
      yield buf;
    }
  })());
}
