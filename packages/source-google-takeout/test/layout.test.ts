import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { epochMs, htmlInstant, isoInstant, parseActivityCell, partName, partOf, takeoutPath } from '../src/index.js';

describe('where a file sits in a Takeout', () => {
  it('maps the English layout to its readers, anything else to other', () => {
    expect(partOf('Takeout/Location History/Records.json')).toEqual({ kind: 'locations' });
    expect(partOf('Takeout/Location History (Timeline)/Records.json')).toEqual({ kind: 'locations' });
    // The older names of the same document (google_takeout_parser's handler map).
    expect(partOf('Takeout/Location History/Location History.json')).toEqual({ kind: 'locations' });
    expect(partOf('Takeout/Location History/LocationHistory.json')).toEqual({ kind: 'locations' });
    expect(partOf('/home/me/Location History.json')).toEqual({ kind: 'locations' });
    expect(partOf('Takeout/Location History/Semantic Location History/2020/2020_JANUARY.json')).toEqual({ kind: 'semantic' });
    expect(partOf('/home/me/Timeline.json')).toEqual({ kind: 'timeline' });
    expect(partOf('Takeout/My Activity/Google Play Store/MyActivity.json')).toEqual({ kind: 'activity', stream: 'my_activity_google_play_store', html: false });
    expect(partOf('Takeout/My Activity/Some New Product/MyActivity.html')).toEqual({ kind: 'activity', stream: 'my_activity_other', html: true });
    expect(partOf('Takeout/YouTube and YouTube Music/history/watch-history.html')).toEqual({ kind: 'activity', stream: 'youtube_watch_history', html: true });
    expect(partOf('Takeout/YouTube and YouTube Music/subscriptions/subscriptions.csv')).toEqual({ kind: 'subscriptions' });
    expect(partOf('Takeout/Fit/Daily activity metrics/2019-08-10.csv')).toEqual({ kind: 'fit_daily', date: '2019-08-10' });
    expect(partOf('Takeout/Fit/Daily activity metrics/Daily activity metrics.csv')).toEqual({ kind: 'fit_daily' });
    expect(partOf('Takeout/Fit/All sessions/2019-08-12T07_14_08.709+02_00_WALKING.json')).toEqual({ kind: 'fit_session' });
    // A 2025 export writes `All Sessions` (fixtures/README.md): the same folder.
    expect(partOf('Takeout/Fit/All Sessions/2025-01-29T20_23_54.103+05_30_WALKING.json')).toEqual({ kind: 'fit_session' });
    // Names of no English layout are kept whole in `other`; a real German export (2024) keeps
    // `Location History (Timeline)`, which is read.
    expect(partOf('Takeout/Location History (Timeline)/Records.json')).toEqual({ kind: 'locations' });
    expect(partOf('Takeout/Standortverlauf/Records.json')).toEqual({ kind: 'other' });
    expect(partOf('Takeout/Meine Aktivitäten/Suche/MeineAktivitäten.json')).toEqual({ kind: 'other' });
    expect(partOf('Takeout/Chrome/BrowserHistory.json')).toEqual({ kind: 'other' });
  });

  it('names files from their Takeout folder on, zip entry or unpacked file alike', () => {
    expect(takeoutPath('/home/me/Downloads/Takeout/My Activity/Search/MyActivity.json')).toBe('Takeout/My Activity/Search/MyActivity.json');
    expect(takeoutPath('Takeout/Fit/x.csv')).toBe('Takeout/Fit/x.csv');
    expect(takeoutPath('C:\\Users\\me\\Takeout\\Fit\\x.csv')).toBe('Takeout/Fit/x.csv');
    expect(takeoutPath('/tmp/Records.json')).toBe('Records.json');
    // The export root: not a `Takeout` folder inside a product folder (My Activity's Takeout product);
    // a zip whose entries start with product folders has its top as the root.
    expect(takeoutPath('Takeout/My Activity/Takeout/MyActivity.json')).toBe('Takeout/My Activity/Takeout/MyActivity.json');
    expect(takeoutPath('My Activity/Takeout/MyActivity.json')).toBe('Takeout/My Activity/Takeout/MyActivity.json');
    expect(takeoutPath('archive_browser.html')).toBe('Takeout/archive_browser.html');
    expect(partOf('My Activity/Takeout/MyActivity.json')).toEqual({ kind: 'activity', stream: 'my_activity_takeout', html: false });
  });

  it('reads part names', () => {
    expect(partName('/x/takeout-20240115T101010Z-002.zip')).toEqual({ stamp: '20240115T101010Z', part: 2, digits: 3 });
    expect(partName('/x/export.zip')).toBeUndefined();
  });
});

describe('instants as Takeout writes them', () => {
  it('ISO text and epoch milliseconds name the same instant', () => {
    expect(isoInstant('2017-12-10T23:14:58.030Z')?.getTime()).toBe(1512947698030);
    expect(epochMs('1512947698030')?.getTime()).toBe(1512947698030);
    expect(isoInstant('2023-10-01T08:00:00.000+02:00')?.toISOString()).toBe('2023-10-01T06:00:00.000Z');
    expect(isoInstant('yesterday')).toBeUndefined();
    expect(epochMs('12e3')).toBeUndefined();
  });

  it('the HTML pages\' English times, with their zone', () => {
    expect(htmlInstant('Sep 4, 2020, 11:01:46 AM PDT')?.getTime()).toBe(1599242506000);
    expect(htmlInstant('Aug 25, 2020, 5:06:44\u202fPM PDT')?.toISOString()).toBe('2020-08-26T00:06:44.000Z');
    expect(htmlInstant('13 Dec 2021, 03:04:05 GMT')?.toISOString()).toBe('2021-12-13T03:04:05.000Z');
    expect(htmlInstant('Dec 13, 2021, 12:04:05 AM CET')?.toISOString()).toBe('2021-12-12T23:04:05.000Z');
    // Indonesia's zones (edwardtanoto/gdata's real pages: 7,652 `WIB` times, each equal to Python's strptime − 7 h).
    expect(htmlInstant('17 Aug 2015, 13:58:01 WIB')?.toISOString()).toBe('2015-08-17T06:58:01.000Z');
    expect(htmlInstant('5 Jan 2015, 05:42:52 WIB')?.toISOString()).toBe('2015-01-04T22:42:52.000Z');
    expect(htmlInstant('Jan 5, 2015, 5:42:52 AM WITA')?.toISOString()).toBe('2015-01-04T21:42:52.000Z');
    // An offset where the zone has no English name, as ICU writes it.
    expect(htmlInstant('Apr 21, 2024, 12:56:48 PM GMT+05:30')?.toISOString()).toBe('2024-04-21T07:26:48.000Z');
    expect(htmlInstant('21 Apr 2024, 12:56:48 GMT-3')?.toISOString()).toBe('2024-04-21T15:56:48.000Z');
    expect(htmlInstant('21 Apr 2024, 12:56:48 GMT+15')).toBeUndefined();
    // A name of several zones is not guessed: India's, Ireland's and Israel's IST.
    expect(htmlInstant('Apr 21, 2024, 12:56:48 PM IST')).toBeUndefined();
    expect(htmlInstant('13.12.2021, 03:04:05 MEZ')).toBeUndefined(); // German: not read, the text stays
    expect(htmlInstant('Feb 30, 2021, 1:00:00 AM UTC')).toBeUndefined();
  });
});

describe('My Activity HTML entries', () => {
  const page = readFileSync(join(import.meta.dirname, 'fixtures/takeout/Takeout/My Activity/Drive/MyActivity.html'), 'utf8');
  const cells = page.split('<div class="outer-cell').slice(1).map((c) => `<div class="outer-cell${c}`);

  it('the cells of google_takeout_parser\'s test_html_parsing.py: title and its link, subtitles, time as written, products, details, locations (URLs as written, not rewritten to https)', () => {
    expect(cells.map(parseActivityCell)).toEqual([
      {
        header: 'Drive',
        title: 'Visited Get support with Premium memberships & purchases - YouTube Help',
        titleUrl: 'http://support.google.com/youtube/answer/7071292?hl=en',
        time: 'Aug 25, 2020, 5:06:44 PM PDT',
        products: ['YouTube'],
        details: [{ name: 'From IP 8.8.8.8' }],
      },
      {
        header: 'Drive',
        title: '6 cards in your feed',
        time: 'Sep 4, 2020, 11:01:46 AM PDT',
        products: ['Discover'],
        locationInfos: [{ name: 'At this general area - From your places (Home)', url: 'http://www.google.com/maps/@?something' }],
      },
      {
        header: 'Drive',
        title: '1 notification',
        subtitles: [{ name: 'Including topics:' }, { name: 'Emergency resources and information', url: 'http://www.google.com/maps/place/?q=place_id:XX' }],
        time: 'Sep 1, 2020, 9:27:07 PM PDT',
        products: ['Maps'],
        locationInfos: [{ name: 'At this general area - Based on your past activity', url: 'http://www.google.com/maps/@?api=1&map_action=map&center=3,-18&zoom=11' }],
      },
    ]);
  });
});
