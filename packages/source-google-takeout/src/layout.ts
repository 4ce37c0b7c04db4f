import { entryPath } from './export-root.js';

/**
 * Where a file sits in a Takeout and which reader takes it. Takeout puts every product
 * in its own folder below `Takeout/`; the names here are the English layout (a German
 * export keeps "Location History (Timeline)" but says "Meine Aktivitäten", "Google Fit": those
 * files go to `other`, see README).
 */
export type TakeoutPart =
  | { kind: 'locations' }
  | { kind: 'semantic' }
  | { kind: 'timeline' }
  | { kind: 'activity'; stream: string; html: boolean }
  | { kind: 'subscriptions' }
  | { kind: 'fit_daily'; date?: string }
  | { kind: 'fit_session' }
  | { kind: 'mbox' }
  | { kind: 'other' };

/** Products whose My Activity gets a stream of its own (`my_activity_<slug>`); any other product goes to `my_activity_other`. */
export const ACTIVITY_PRODUCTS = [
  'Ads', 'Android', 'Assistant', 'Books', 'Chrome', 'Developers', 'Discover', 'Drive', 'Gemini Apps', 'Gmail',
  'Google Analytics', 'Google Apps', 'Google Cloud', 'Google Lens', 'Google News', 'Google Pay', 'Google Play Games',
  'Google Play Movies & TV', 'Google Play Music', 'Google Play Store', 'Google Store', 'Google Translate', 'Help',
  'Image Search', 'Maps', 'News', 'Podcasts', 'Search', 'Shopping', 'Takeout', 'Video Search', 'Voice and Audio',
  'YouTube',
] as const;

export const slug = (product: string) => product.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
const KNOWN = new Map(ACTIVITY_PRODUCTS.map((p) => [p.toLowerCase(), `my_activity_${slug(p)}`]));

export function activityStream(product: string): string {
  return KNOWN.get(product.toLowerCase()) ?? 'my_activity_other';
}

/**
 * The path of a file inside the Takeout, from its root on (`Takeout/My Activity/Search/MyActivity.json`),
 * told by the path alone (the rules are in export-root.ts); a file outside any export root is
 * known by its name alone.
 */
export function takeoutPath(path: string): string {
  const p = path.replace(/\\/g, '/');
  return entryPath(p) ?? p.slice(p.lastIndexOf('/') + 1);
}

const LOCATION = String.raw`(?:Takeout/)?Location History[^/]*/`;
const YOUTUBE = String.raw`(?:Takeout/)?YouTube[^/]*/`;

export function partOf(path: string): TakeoutPart {
  const p = takeoutPath(path);
  // Older exports named the same document `Location History/Location History.json`
  // (`LocationHistory.json` before 2017: google_takeout_parser's handler map); read as an
  // `other` file, one over 16 MiB kept only its size and hash, none of its locations.
  const locations = String.raw`(?:Records|Location ?History)\.json`;
  if (new RegExp(`^${LOCATION}${locations}$`).test(p) || new RegExp(`^${locations}$`).test(p)) return { kind: 'locations' };
  if (new RegExp(`^${LOCATION}Semantic Location History/\\d{4}/\\d{4}_[A-Z]+\\.json$`).test(p)) return { kind: 'semantic' };
  if (/(^|\/)(Timeline|location-history)\.json$/.test(p)) return { kind: 'timeline' };
  const activity = /^(?:Takeout\/)?My Activity\/([^/]+)\/My ?Activity\.(json|html)$/i.exec(p);
  if (activity) return { kind: 'activity', stream: activityStream(activity[1]), html: activity[2].toLowerCase() === 'html' };
  // Google Pay writes its activity in its own folder, `Google Pay/My Activity/My Activity.html`
  // (a real 2022 export): as an `other` file its entries were no records, over 16 MiB only a hash.
  // Drive is left out: a folder of that name there is the user's, not Google's.
  const productActivity = /^Takeout\/([^/]+)\/My Activity\/My ?Activity\.(json|html)$/i.exec(p);
  if (productActivity && !/^(Drive|My Activity)$/i.test(productActivity[1])) {
    return { kind: 'activity', stream: activityStream(productActivity[1]), html: productActivity[2].toLowerCase() === 'html' };
  }
  const history = new RegExp(`^${YOUTUBE}history/(watch|search)-history\\.(json|html)$`).exec(p);
  if (history) return { kind: 'activity', stream: `youtube_${history[1]}_history`, html: history[2] === 'html' };
  if (new RegExp(`^${YOUTUBE}subscriptions/subscriptions\\.csv$`).test(p)) return { kind: 'subscriptions' };
  // Fit's folder names are matched without case: real exports write both `All sessions` and
  // `All Sessions` (a 2025 export, test/fixtures/README.md); the exact name sent sessions to `other`.
  const daily = /^(?:Takeout\/)?Fit\/Daily activity metrics\/([^/]+)\.csv$/i.exec(p);
  if (daily) return { kind: 'fit_daily', ...(/^\d{4}-\d{2}-\d{2}$/.test(daily[1]) ? { date: daily[1] } : {}) };
  if (/^(?:Takeout\/)?Fit\/All sessions\/[^/]+\.json$/i.test(p)) return { kind: 'fit_session' };
  if (/^(?:Takeout\/)?Mail\/[^/]+\.mbox$/.test(p)) return { kind: 'mbox' };
  return { kind: 'other' };
}
