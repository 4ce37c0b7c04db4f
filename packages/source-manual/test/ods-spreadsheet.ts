import { writeZip } from '@bronze/testkit';
import { file } from './helpers.js';

/** A sheet of a generated .ods: its `table:table-row` elements as XML. */
export interface OdsSheetSpec {
  name: string;
  rows: string;
  hidden?: boolean;
}

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
].join(' ');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** content.xml as LibreOffice lays it out: automatic table styles (ta2 hides a sheet), then the sheets. */
export function odsContent(sheets: OdsSheetSpec[]): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NS} office:version="1.3"><office:automatic-styles>` +
    '<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>' +
    '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>' +
    '</office:automatic-styles><office:body><office:spreadsheet>' +
    sheets.map((s) => `<table:table table:name="${esc(s.name)}" table:style-name="${s.hidden ? 'ta2' : 'ta1'}"><table:table-column table:number-columns-repeated="16384"/>${s.rows}</table:table>`).join('') +
    '</office:spreadsheet></office:body></office:document-content>'
  );
}

/** The parts of an .ods: mimetype first (stored, as the format asks), the manifest, content.xml; `parts` replace or add. */
export function odsParts(sheets: OdsSheetSpec[], parts: Record<string, string | Buffer> = {}): Record<string, string | Buffer> {
  return {
    mimetype: 'application/vnd.oasis.opendocument.spreadsheet',
    'META-INF/manifest.xml':
      '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">' +
      '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>' +
      '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
    'content.xml': odsContent(sheets),
    ...parts,
  };
}

export function writeOds(name: string, sheets: OdsSheetSpec[], parts?: Record<string, string | Buffer>): Promise<string> {
  return writeZip(file(name, ''), odsParts(sheets, parts));
}

/** A cell: text (a `text:p`), or a typed value given as its attributes. */
export function cell(v: string | Record<string, string>): string {
  if (typeof v === 'string') return `<table:table-cell office:value-type="string"><text:p>${esc(v)}</text:p></table:table-cell>`;
  return `<table:table-cell ${Object.entries(v).map(([k, x]) => `${k}="${esc(x)}"`).join(' ')}/>`;
}
export const num = (v: string) => cell({ 'office:value-type': 'float', 'office:value': v });
export const date = (v: string) => cell({ 'office:value-type': 'date', 'office:date-value': v });
/** A row of cells, padded to the sheet's last column as LibreOffice writes it. */
export const odsRow = (cells: string[], repeat?: number) =>
  `<table:table-row${repeat ? ` table:number-rows-repeated="${repeat}"` : ''}>${cells.join('')}<table:table-cell table:number-columns-repeated="${16384 - cells.length}"/></table:table-row>`;
/** LibreOffice's padding: empty rows up to its last row. */
export const emptyRows = (n: number) => `<table:table-row table:number-rows-repeated="${n}"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>`;
