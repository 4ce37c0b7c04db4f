import { writeZip } from '@bronze/testkit';
import { file } from './helpers.js';

/** A sheet of a generated workbook: its `<row>` elements as XML, and where its part lives. */
export interface SheetSpec {
  name: string;
  rows: string;
  state?: 'hidden' | 'veryHidden';
  /** Default `worksheets/sheet<n>.xml`; the relationship points here (not assumed by the reader). */
  part?: string;
}

export interface WorkbookSpec {
  sheets: SheetSpec[];
  strings?: string[];
  date1904?: boolean;
  /** numFmtId of each cell style (s="i"); style 0 is General. */
  styles?: number[];
  numFmts?: Record<number, string>;
  /** Parts replaced or added as written (damage, hostile input). */
  parts?: Record<string, string | Buffer>;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The parts of an .xlsx as Excel lays them out (minus what bronze does not read: theme, docProps). */
export function workbookParts(w: WorkbookSpec): Record<string, string | Buffer> {
  const parts: Record<string, string | Buffer> = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  };
  const sheets = w.sheets.map((s, i) => ({ ...s, rid: `rId${i + 10}`, part: s.part ?? `worksheets/sheet${i + 1}.xml` }));
  parts['xl/workbook.xml'] =
    `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}><workbookPr${w.date1904 ? ' date1904="1"' : ''}/><sheets>` +
    sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="${s.rid}"/>`).join('') +
    '</sheets></workbook>';
  parts['xl/_rels/workbook.xml.rels'] =
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    sheets.map((s) => `<Relationship Id="${s.rid}" Type="${REL}/worksheet" Target="${s.part}"/>`).join('') +
    `<Relationship Id="rId1" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/></Relationships>`;
  parts['xl/sharedStrings.xml'] = `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>${(w.strings ?? []).map((t) => `<si><t xml:space="preserve">${esc(t)}</t></si>`).join('')}</sst>`;
  const fmts = Object.entries(w.numFmts ?? {}).map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${esc(code)}"/>`).join('');
  parts['xl/styles.xml'] =
    `<?xml version="1.0" encoding="UTF-8"?><styleSheet ${NS}><numFmts>${fmts}</numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs>` +
    (w.styles ?? [0]).map((id) => `<xf numFmtId="${id}" applyNumberFormat="1"/>`).join('') +
    '</cellXfs></styleSheet>';
  for (const s of sheets) parts[`xl/${s.part}`] = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>${s.rows}</sheetData></worksheet>`;
  return { ...parts, ...w.parts };
}

/** Writes the workbook in the tests' temp folder and returns its path. */
export function writeWorkbook(name: string, w: WorkbookSpec): Promise<string> {
  return writeZip(file(name, ''), workbookParts(w));
}

/** `<row r="n">` with cells: a number is `<v>` as written, a string an inline string, or raw `<c>` XML. */
export function row(n: number, cells: Record<string, string | number | boolean>): string {
  const xml = Object.entries(cells).map(([col, v]) => {
    if (typeof v === 'number') return `<c r="${col}${n}"><v>${v}</v></c>`;
    if (typeof v === 'boolean') return `<c r="${col}${n}" t="b"><v>${v ? 1 : 0}</v></c>`;
    return v.startsWith('<c') ? v : `<c r="${col}${n}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  });
  return `<row r="${n}">${xml.join('')}</row>`;
}
