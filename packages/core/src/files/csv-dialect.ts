import { dataLikeNames } from './data-like.js';

/** Delimiters tried, in this order of preference on a tie. */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

export interface CsvDialect {
  delimiter: string;
  /** 1-based line of the header row. */
  headerLine: number;
  /** The lines above the header, as written (bank exports: account, period, balance). */
  preamble: string[];
  /** The file starts with Excel's `sep=;` line (kept in the preamble), whose delimiter was used. */
  separatorLine?: true;
  /**
   * Lines end in CR CR LF: a CRLF file written again through a Windows text-mode stream
   * (Python's csv module on Windows without newline=''). Each is one line end.
   */
  doubledCr?: true;
  /** Lines end in CR alone (old Mac): a line break inside a quoted field is a CR too. */
  crLines?: true;
}

/**
 * Excel's delimiter hint: a first line `sep=;` (or `"sep=;"`), written by apps for Excel
 * and read by Excel itself. Read as a table it is no header: `sep=,` splits into 2 fields and
 * was taken for a 2-column table's header, the real header becoming a row.
 */
const SEPARATOR_LINE = /^(?:sep=([^\r\n"])|"sep=([^\r\n"])")\r?(?:\n|$)/i;

function separatorOf(text: string): string | undefined {
  const m = SEPARATOR_LINE.exec(text);
  return m ? (m[1] ?? m[2]) : undefined;
}

interface SampleRecord {
  /** 1-based physical line the record starts on. */
  line: number;
  fields: number;
  blank: boolean;
  /** Where the record's text lies in the sample (its line break excluded). */
  start: number;
  end: number;
}

/** Logical records of the sample (a quoted field may span lines) and their field counts. */
function sampleRecords(sample: string, delimiter: string, complete: boolean): SampleRecord[] {
  const out: SampleRecord[] = [];
  let line = 1;
  let start = 1;
  let at = 0;
  let fields = 1;
  let chars = 0;
  let quoted = false;
  let atFieldStart = true;
  for (let i = 0; i < sample.length; i++) {
    const c = sample[i];
    if (quoted) {
      if (c === '"') {
        if (sample[i + 1] === '"') i++;
        else quoted = false;
      } else if (c === '\n') line++;
      continue;
    }
    if (c === '\n') {
      out.push({ line: start, fields, blank: chars === 0, start: at, end: sample[i - 1] === '\r' ? i - 1 : i });
      at = i + 1;
      line++;
      start = line;
      fields = 1;
      chars = 0;
      atFieldStart = true;
      continue;
    }
    if (c === '\r') continue;
    chars++;
    if (c === delimiter) {
      fields++;
      atFieldStart = true;
      continue;
    }
    if (c === '"' && atFieldStart) quoted = true;
    atFieldStart = false;
  }
  // The last record is whole only when the sample is the whole file.
  if (complete && chars > 0) out.push({ line: start, fields, blank: false, start: at, end: sample.length });
  return out;
}

/** A sampled record's fields, unquoted (`""` → `"`). */
function fieldsOf(sample: string, r: SampleRecord, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  let atFieldStart = true;
  for (let i = r.start; i < r.end; i++) {
    const c = sample[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (sample[i + 1] === '"') field += sample[++i];
      else quoted = false;
    } else if (c === delimiter) {
      out.push(field);
      field = '';
      atFieldStart = true;
      continue;
    } else if (c === '"' && atFieldStart) quoted = true;
    else if (c !== '\r') field += c;
    atFieldStart = false;
  }
  out.push(field);
  return out;
}

interface Table {
  delimiter: string;
  header: SampleRecord;
  columns: number;
  /** Share of the records from the header on that have `columns` fields. */
  agreement: number;
  /** How many records from the header on have `columns` fields. */
  rows: number;
}

/**
 * The right delimiter splits its rows alike (agreement), and explains the most records,
 * the header included: `Text;Betrag` / `Umsätze;-13,98` is a `;` table of 2 rows, not a
 * `,` table of 1 row below a preamble. Then the wider table.
 */
function better(a: Table, b: Table): boolean {
  if (a.agreement !== b.agreement) return a.agreement > b.agreement;
  if (a.rows !== b.rows) return a.rows > b.rows;
  return a.columns > b.columns;
}

/**
 * Where the table starts for one delimiter. The table runs to the end of the file, so
 * its width is the most common field count in the later half of the sampled records (a
 * tie goes to the wider); the header is the first record of that width. Preamble lines
 * (an account number, a balance) are narrower, a stray short row does not matter.
 */
function tableFor(sample: string, records: SampleRecord[], delimiter: string): Table | undefined {
  const filled = records.filter((r) => !r.blank);
  if (!filled.length) return undefined;
  const later = filled.slice(Math.floor(filled.length / 2));
  const tally = new Map<number, number>();
  for (const r of later) tally.set(r.fields, (tally.get(r.fields) ?? 0) + 1);
  let columns = 0;
  for (const [n, c] of tally) if (c > (tally.get(columns) ?? 0) || (c === tally.get(columns) && n > columns)) columns = n;
  columns = widerNamedTable(sample, filled, tally, columns, delimiter);
  if (columns < 2) return undefined;
  const at = filled.findIndex((r) => r.fields === columns);
  const rest = filled.slice(at);
  const rows = rest.filter((r) => r.fields === columns).length;
  const header = narrowerHeader(sample, records, filled[at], delimiter, columns) ?? paddedTitleBelow(sample, filled, at, delimiter) ?? filled[at];
  return { delimiter, header, columns, agreement: rows / rest.length, rows };
}

const named = (fields: string[]) => fields.filter((f) => f.trim() !== '');
const readsAsNames = (fields: string[]) => named(fields).length >= 2 && dataLikeNames(fields).length === 0;

/**
 * A wider width than the most common one, when that one's first record does not read as names
 * and the wider one's does, and the wider rows are at least half as many: bookings each
 * followed by a narrower continuation line (OCBC's `…,DEBIT PURCHASE,6.66,` then
 * `,,15/04/18 UBER EATS`) are a table of the wider width whose header names it; the
 * continuation lines are its odd rows. Else `columns` as found.
 */
function widerNamedTable(sample: string, filled: SampleRecord[], tally: Map<number, number>, columns: number, delimiter: string): number {
  const first = (n: number) => filled.find((r) => r.fields === n)!;
  if (columns < 2 || readsAsNames(fieldsOf(sample, first(columns), delimiter))) return columns;
  const wider = [...tally].filter(([n, c]) => n > columns && c * 2 >= tally.get(columns)!).sort((a, b) => b[0] - a[0]);
  const named = wider.find(([n]) => readsAsNames(fieldsOf(sample, first(n), delimiter)));
  return named ? named[0] : columns;
}

/**
 * The line right above the first record of the table's width, when it is narrower only by
 * fields that record leaves empty, and reads as names: Sparda-Bank's 5-name header above
 * bookings that each end in one more, empty, field (`…;"EUR";""`). Taken for preamble, it
 * would make the first booking the column names, and that booking no record.
 */
function narrowerHeader(sample: string, records: SampleRecord[], first: SampleRecord, delimiter: string, columns: number): SampleRecord | undefined {
  const above = records[records.indexOf(first) - 1];
  if (!above || above.blank || above.fields < 2 || above.fields >= columns) return undefined;
  const tail = fieldsOf(sample, first, delimiter).slice(above.fields);
  if (tail.some((f) => f !== '')) return undefined;
  return readsAsNames(fieldsOf(sample, above, delimiter)) ? above : undefined;
}

/**
 * The record after the first of the table's width, when that first one names at most one
 * of its 3+ fields (a title padded with delimiters to the table's width, as Knab's
 * `KNAB EXPORT;;;;;;;;;;;;;;;;`) and the next reads as names: the title becomes preamble.
 */
function paddedTitleBelow(sample: string, filled: SampleRecord[], at: number, delimiter: string): SampleRecord | undefined {
  const title = filled[at];
  const next = filled[at + 1];
  if (title.fields < 3 || !next || next.fields !== title.fields) return undefined;
  if (named(fieldsOf(sample, title, delimiter)).length > 1) return undefined;
  return readsAsNames(fieldsOf(sample, next, delimiter)) ? next : undefined;
}

function preambleOf(sample: string, headerLine: number): string[] {
  if (headerLine <= 1) return [];
  return sample.split('\n').slice(0, headerLine - 1).map((l) => l.replace(/\r\r?$/, ''));
}

function linesAfter(sample: string, skip: number): { text: string; complete: boolean } {
  let at = 0;
  for (let n = 0; n < skip; n++) {
    const nl = sample.indexOf('\n', at);
    if (nl === -1) return { text: '', complete: true };
    at = nl + 1;
  }
  return { text: sample.slice(at), complete: true };
}

/**
 * Old Mac line ends (CR only, as classic Mac OS Excel saves "CSV (Macintosh)"): the parser
 * takes them as line ends, but the sampler splits on \n, so the whole file was one line and
 * a preamble line the header. With no \n in the sample, each CR is a line end here too
 * (same length: positions and line numbers hold).
 */
function crLinesAsLf(text: string): string {
  return text.includes('\r') && !text.includes('\n') ? text.replace(/\r/g, '\n') : text;
}

export class CsvDialectError extends Error {}

const shown = (d: string) => (d === '\t' ? 'tab' : `'${d}'`);

/**
 * Finds the delimiter (see `better`; a full tie goes by CSV_DELIMITERS order) and the header line (lines above it are the preamble), from the
 * first part of the file's text. `delimiter` and `skipLines` override detection.
 */
export function detectCsvDialect(sample: string, complete: boolean, o: { delimiter?: string; skipLines?: number } = {}): CsvDialect {
  const text = crLinesAsLf(sample.charCodeAt(0) === 0xfeff ? sample.slice(1) : sample);
  // --skip-lines counts the sep= line as any other line; else it is skipped as preamble.
  const hinted = o.skipLines === undefined ? separatorOf(text) : undefined;
  const skip = o.skipLines ?? (hinted !== undefined ? 1 : 0);
  const body = linesAfter(text, skip);
  const lineShift = skip;
  const delimiter = o.delimiter ?? hinted;
  const candidates = delimiter !== undefined ? [delimiter] : CSV_DELIMITERS;
  let best: Table | undefined;
  for (const d of candidates) {
    const records = sampleRecords(body.text, d, complete);
    const table = o.skipLines !== undefined ? firstRecordTable(records, d) : tableFor(body.text, records, d);
    if (!table) continue;
    if (!best || better(table, best)) best = table;
  }
  if (!best && delimiter !== undefined) {
    // One column is a table too when the user (or the sep= line) names the delimiter.
    const first = sampleRecords(body.text, delimiter, complete).find((r) => !r.blank);
    if (first) best = { delimiter, header: first, columns: 1, agreement: 1, rows: 1 };
  }
  if (!best) {
    throw new CsvDialectError(
      `no delimiter found: no ${CSV_DELIMITERS.map(shown).join(', ')} splits the first lines into a table of 2 or more columns; ` +
        `pass --delimiter (e.g. --delimiter ';', --delimiter tab), and --skip-lines N if lines above the header are not part of the table`,
    );
  }
  const headerLine = best.header.line + lineShift;
  const dialect: CsvDialect = { delimiter: best.delimiter, headerLine, preamble: preambleOf(text, headerLine) };
  if (hinted !== undefined) dialect.separatorLine = true;
  if (text.includes('\r\r\n')) dialect.doubledCr = true;
  if (!sample.includes('\n') && sample.includes('\r')) dialect.crLines = true;
  return dialect;
}

/** With --skip-lines the header is the first non-blank record after the skipped lines. */
function firstRecordTable(records: SampleRecord[], delimiter: string): Table | undefined {
  const header = records.find((r) => !r.blank);
  if (!header || header.fields < 2) return undefined;
  const rest = records.filter((r) => !r.blank && r.line >= header.line);
  const rows = rest.filter((r) => r.fields === header.fields).length;
  return { delimiter, header, columns: header.fields, agreement: rows / rest.length, rows };
}

/** `tab`, `\t`, `;`… as typed on a command line → the delimiter character. */
export function delimiterOf(value: string): string {
  const v = value === 'tab' || value === '\\t' ? '\t' : value;
  if (v.length !== 1 || v === '"' || v === '\n' || v === '\r') {
    throw new CsvDialectError(`--delimiter ${JSON.stringify(value)} must be one character other than a quote or newline (e.g. ';', ',', tab, '|')`);
  }
  return v;
}
