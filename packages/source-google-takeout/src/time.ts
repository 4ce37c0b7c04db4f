/** Instants as Takeout writes them: ISO 8601 text, epoch milliseconds as a string, or the HTML pages' English local time. */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `2022-01-12T17:18:24.190Z`, `2023-10-01T08:00:00.000+02:00`; anything else → undefined. */
export function isoInstant(v: unknown): Date | undefined {
  if (typeof v !== 'string' || !ISO.test(v)) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** `"1512947698030"` (Records.json's `timestampMs`) → that instant. */
export function epochMs(v: unknown): Date | undefined {
  const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  if (!text || !/^-?\d{1,16}$/.test(text)) return undefined;
  const d = new Date(Number(text));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * UTC offsets, in minutes, of the zone abbreviations English Takeout pages end their times
 * with. Only names that mean one offset: `IST` (India, Ireland, Israel), `AST` (Atlantic,
 * Arabia) and `CST` of China are not guessed (README *Limits*; `CST` is US Central here): the
 * user says what they mean with --time-zone (TimeZones).
 */
const ZONES: Record<string, number> = {
  UTC: 0, GMT: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, MSK: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  NST: -210, NDT: -150, ART: -180, BRT: -180,
  WAT: 60, CAT: 120, SAST: 120, EAT: 180, PKT: 300, NPT: 345, ICT: 420,
  // Indonesia (a real 2015–2019 export writes `17 Aug 2015, 13:58:01 WIB`), then its other two zones.
  WIB: 420, WITA: 480, WIT: 540,
  SGT: 480, HKT: 480, AWST: 480, JST: 540, KST: 540, ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

/**
 * What the user says an abbreviation means (`--time-zone IST=+05:30`): minutes east of UTC.
 * It takes precedence over ZONES (`CST=+08:00` for China's).
 */
export type TimeZones = Readonly<Record<string, number>>;

/** Abbreviations bronze does not read by itself because each names more than one offset. */
const AMBIGUOUS: Record<string, string> = {
  IST: "India's, Ireland's and Israel's time",
  AST: "Atlantic and Arabia time",
};

/** `WIB`, or an offset as ICU writes one for a zone without a name: `GMT+7`, `GMT+05:30`, `UTC-3`. */
function offsetOf(zone: string, zones?: TimeZones): number | undefined {
  if (zones && Object.hasOwn(zones, zone)) return zones[zone];
  if (Object.hasOwn(ZONES, zone)) return ZONES[zone];
  const m = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (!m || Number(m[2]) > 14 || Number(m[3] ?? 0) > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * `Dec 13, 2021, 3:04:05 AM UTC` or `13 Dec 2021, 03:04:05 GMT` (My Activity HTML in
 * English) → that instant; other languages and unknown zone names → undefined (the text
 * stays in raw_data).
 */
export function htmlInstant(v: unknown, zones?: TimeZones): Date | undefined {
  return readHtmlTime(v, zones).instant;
}

/**
 * htmlInstant for a stream's timestamp(): a time read whole but for a zone abbreviation bronze
 * does not know throws UnknownZone, so the row is stored `warning`, its message saying how to
 * read such times; any other text is no instant (undefined), as before.
 */
export function htmlTime(v: unknown, zones?: TimeZones): Date | undefined {
  const read = readHtmlTime(v, zones);
  if (read.unknownZone) throw new UnknownZone(read.unknownZone);
  return read.instant;
}

/** The instant, or the zone abbreviation that alone kept the text from being one. */
function readHtmlTime(v: unknown, zones?: TimeZones): { instant?: Date; unknownZone?: string } {
  if (typeof v !== 'string') return {};
  const t = v.replace(/[\u00a0\u202f]/g, ' ').trim();
  const us = /^([A-Za-z]{3})[a-z]* (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ?([AP]M) ([A-Z]{2,5}|(?:GMT|UTC)[+-][\d:]{1,5})$/.exec(t);
  const eu = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ([A-Z]{2,5}|(?:GMT|UTC)[+-][\d:]{1,5})$/.exec(t);
  let month: string, day: string, year: string, h: number, zone: string, mi: string, s: string;
  if (us) {
    [, month, day, year] = us;
    h = (Number(us[4]) % 12) + (us[7] === 'PM' ? 12 : 0);
    [mi, s, zone] = [us[5], us[6], us[8]];
  } else if (eu) {
    [, day, month, year] = eu;
    h = Number(eu[4]);
    [mi, s, zone] = [eu[5], eu[6], eu[7]];
  } else return {};
  const m = MONTHS.indexOf(month.toLowerCase());
  if (m === -1) return {};
  const offset = offsetOf(zone, zones);
  if (offset === undefined) return /^[A-Z]{2,5}$/.test(zone) ? { unknownZone: zone } : {};
  const ms = Date.UTC(Number(year), m, Number(day), h, Number(mi), Number(s)) - offset * 60_000;
  return Number.isNaN(ms) || new Date(ms + offset * 60_000).getUTCDate() !== Number(day) ? {} : { instant: new Date(ms) };
}

/** A time of an HTML page whose zone abbreviation is neither known nor given (--time-zone). */
export class UnknownZone extends Error {
  constructor(readonly zone: string) {
    const meaning = AMBIGUOUS[zone] ? ` (it names ${AMBIGUOUS[zone]})` : '';
    super(`zone ${zone} not read${meaning}: pass --time-zone ${zone}=±HH:MM, the UTC offset your export means (India's: IST=+05:30); source_timestamp is empty`);
    this.name = 'UnknownZone';
  }
}

/** The instant as id text: one spelling per instant (`…Z` with milliseconds), or the text itself when it is not one. */
export function instantKey(d: Date | undefined, raw: unknown): string {
  return d ? d.toISOString() : String(raw ?? '');
}
