import { posix } from 'node:path';
import type { XmlEvent } from '../sheets/xml-events.js';

/** A sheet as xl/workbook.xml lists it, in the workbook's order. */
export interface SheetEntry {
  name: string;
  /** The relationship id (`r:id`) that names its part in workbook.xml.rels. */
  rid: string;
  /** `visible`, `hidden` or `veryHidden` (only VBA can show those): all are read. */
  state: string;
}

export interface WorkbookInfo {
  sheets: SheetEntry[];
  /** Dates count days from 1904-01-01 (old Mac Excel) instead of 1899-12-30. */
  date1904: boolean;
}

export interface Relationship {
  target: string;
  type: string;
}

/** The package's root relationships: where the workbook part is. */
export const ROOT_RELS = '_rels/.rels';
const DEFAULT_WORKBOOK = 'xl/workbook.xml';

export function parseWorkbook(events: XmlEvent[]): WorkbookInfo {
  const sheets: SheetEntry[] = [];
  let date1904 = false;
  for (const e of events) {
    if (e.type !== 'open') continue;
    if (e.name === 'workbookPr' && e.attrs.date1904 !== undefined) date1904 = e.attrs.date1904 === '1' || e.attrs.date1904 === 'true';
    if (e.name === 'sheet') sheets.push({ name: e.attrs.name ?? '', rid: e.attrs.id ?? '', state: e.attrs.state ?? 'visible' });
  }
  return { sheets, date1904 };
}

export function parseRels(events: XmlEvent[]): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  for (const e of events) {
    if (e.type === 'open' && e.name === 'Relationship' && e.attrs.Id) rels.set(e.attrs.Id, { target: e.attrs.Target ?? '', type: e.attrs.Type ?? '' });
  }
  return rels;
}

/** The part a relationship of `from` points to: relative to `from`'s folder, or from the root (`/xl/…`). */
export function partPath(from: string, target: string): string {
  const t = decodeURI(target.replace(/\\/g, '/'));
  const joined = t.startsWith('/') ? t.slice(1) : posix.join(posix.dirname(from), t);
  return posix.normalize(joined).replace(/^(\.\.\/)+/, '');
}

/** `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`. */
export function relsPathOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

/** The workbook part named by the root relationships (officeDocument), else the usual one. */
export function workbookPathOf(rootRels: Map<string, Relationship> | undefined): string {
  for (const r of rootRels?.values() ?? []) if (/\/officeDocument$/.test(r.type)) return partPath('', r.target);
  return DEFAULT_WORKBOOK;
}
