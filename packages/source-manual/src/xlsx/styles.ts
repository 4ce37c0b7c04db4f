import type { XmlEvent } from '../sheets/xml-events.js';

/** Built-in number formats that show a date or time (ECMA-376 §18.8.30): 14–22 and 45–47. */
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/**
 * Whether a custom number format shows a date: it has y, m, d, h or s outside quoted text
 * (`"Total: "0`), brackets (`[Red]`, `[$-409]`), escapes (`\d`) and fill/padding (`_)`,
 * `*-`). `m` alone is month or minute: a date either way. An elapsed time (`[h]:mm`) is a
 * duration, not a date, and `General` is not a format of dates.
 */
export function isDateFormatCode(code: string): boolean {
  if (/\[(h+|m+|s+)\]/i.test(code)) return false;
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '')
    .replace(/General/gi, '');
  return /[ymdhs]/i.test(bare);
}

/**
 * Which cell styles (`s`, an index into cellXfs) show numbers as dates, from xl/styles.xml:
 * its custom numFmts and the numFmtId of each cellXfs `<xf>` (not the cellStyleXfs, which
 * cells do not point at). Streamed: a workbook may hold a million styles.
 */
export async function dateStylesOf(events: AsyncIterable<XmlEvent[]>): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const dated: boolean[] = [];
  let inCellXfs = false;
  for await (const batch of events) {
    for (const e of batch) {
      if (e.type === 'open' && e.name === 'numFmt') custom.set(Number(e.attrs.numFmtId), e.attrs.formatCode ?? '');
      else if (e.type === 'open' && e.name === 'cellXfs') inCellXfs = true;
      else if (e.type === 'close' && e.name === 'cellXfs') inCellXfs = false;
      else if (e.type === 'open' && e.name === 'xf' && inCellXfs) {
        const id = Number(e.attrs.numFmtId ?? 0);
        const code = custom.get(id);
        dated.push(code !== undefined ? isDateFormatCode(code) : BUILT_IN_DATES.has(id));
      }
    }
  }
  return dated;
}
