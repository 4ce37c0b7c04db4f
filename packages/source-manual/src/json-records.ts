import { basename } from 'node:path';
import { emit, FileImportError, type ByteSource, type ImportedFile, type SourceContext } from '@bronze/core';
import { rowRead, type Read, type Reading } from './row-reads.js';
import { assignmentOf, notAnArchiveFile, withoutAssignment } from './json-assignment.js';

export async function* jsonLinesRecords(file: ImportedFile, r: Reading, ctx: SourceContext, asNamed = true): AsyncIterable<Read> {
  if (asNamed && (await isOneDocument(file, r, ctx))) {
    ctx.note?.(`${basename(file.path)}: one JSON document over several lines (an array or object printed with indentation), not one JSON value per line: read as a .json document`);
    return yield* jsonDocumentRecords(file, r, ctx, false, false);
  }
  for await (const l of ctx.files.jsonLines(file, { encoding: r.config.encoding })) {
    if (l.error === undefined) yield rowRead(l.value, r, { line: l.line });
    else yield { emitted: emit({ line: l.line, text: l.text }, { stream: r.stream, invalid: l.error, countedId: r.ids.of(l.text, 'invalid'), metadata: { line: l.line } }) };
  }
}

/**
 * A JSON document: a top-level array's items; an object as one record ('document');
 * with --records-path, the items of that array plus the object without it ('rest',
 * raw_id `rest:<hash>#1`), so no key of the file is dropped. A Twitter/X archive's `.js`
 * file is the JSON after its assignment (json-assignment.ts). A `.json` file holding one
 * JSON value per line (Discord's `activity/*.json`, mongoexport, BigQuery) is read as JSON Lines.
 */
export async function* jsonDocumentRecords(file: ImportedFile, r: Reading, ctx: SourceContext, javascript: boolean, asNamed = true): AsyncIterable<Read> {
  const name = basename(file.path);
  const assignment = await assignmentOf(file);
  if (javascript && !assignment) throw notAnArchiveFile(file.path);
  if (assignment) ctx.note?.(`${name}: the JSON after "${assignment.text}" (a Twitter/X archive's data file) read as the document`);
  const source: ByteSource = assignment ? withoutAssignment(file, assignment) : file;
  const options = { encoding: r.config.encoding, recordsPath: r.config.recordsPath };
  let records = 0;
  try {
    for await (const item of ctx.files.jsonDocument(source, options)) {
      records++;
      const role = (item as { role?: string }).role ?? 'item';
      if (role === 'rest') {
        yield { emitted: emit(item.value, { stream: r.stream, countedId: r.ids.of(item.value, 'rest'), metadata: { path: item.path, role } }) };
        continue;
      }
      if (role === 'document') {
        const note = wholeDocumentNote(name, item.value);
        if (note) ctx.note?.(note);
      }
      yield rowRead(item.value, r, role === 'item' ? { path: item.path } : { path: item.path, role });
    }
  } catch (err) {
    // Nothing of the file is stored yet: if it is JSON Lines, read it so, from its first line.
    if (asNamed && records === 0 && !assignment && err instanceof FileImportError && (await isJsonLines(file, r, ctx))) {
      ctx.note?.(`${name}: one JSON value per line (JSON Lines), not one JSON document: read as JSON Lines, one record per line (a .jsonl or .ndjson name says so)`);
      return yield* jsonLinesRecords(file, r, ctx, false);
    }
    throw err;
  }
}

/**
 * Whether a file the JSON parser refused is JSON Lines: its first line is a whole JSON object
 * or array and another line follows. A JSON document complete on its first line can have
 * nothing but white space after it, so such a file is no document; read as lines, every line
 * is stored (one that does not parse as `invalid`, its text kept), never dropped.
 */
async function isJsonLines(file: ImportedFile, r: Reading, ctx: SourceContext): Promise<boolean> {
  let first = true;
  for await (const l of ctx.files.jsonLines(file, { encoding: r.config.encoding })) {
    if (!first) return true;
    if (l.error !== undefined || typeof l.value !== 'object' || l.value === null) return false;
    first = false;
  }
  return false;
}

/**
 * Whether a .jsonl file is one JSON document printed over several lines (`[` or `{` alone on
 * its first line, a pretty-printed export named .jsonl): read as lines, each line was a record,
 * `{"id": 1,` invalid. Only when its first line is no whole value, and the whole file then
 * parses as one document (a second pass; a file whose first line is a whole value is read once).
 */
async function isOneDocument(file: ImportedFile, r: Reading, ctx: SourceContext): Promise<boolean> {
  for await (const l of ctx.files.jsonLines(file, { encoding: r.config.encoding })) {
    if (l.error === undefined || !/^\s*[[{]/.test(l.text)) return false;
    break;
  }
  try {
    let items = 0;
    for await (const _ of ctx.files.jsonDocument(file, { encoding: r.config.encoding, recordsPath: r.config.recordsPath })) items++;
    return items > 0;
  } catch (err) {
    if (err instanceof FileImportError) return false;
    throw err;
  }
}

/** Arrays of objects in the first two levels of a document, largest first: what --records-path would split. */
function arraysOfObjects(doc: Record<string, unknown>): { pointer: string; items: number }[] {
  const found: { pointer: string; items: number }[] = [];
  const segment = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
  const look = (value: unknown, pointer: string, depth: number) => {
    if (Array.isArray(value)) {
      if (value.some((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) found.push({ pointer, items: value.length });
    } else if (depth < 2 && typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) look(v, `${pointer}/${segment(k)}`, depth + 1);
    }
  };
  look(doc, '', 0);
  return found.sort((a, b) => b.items - a.items);
}

/**
 * A top-level object is one record, as the file holds it. When it holds arrays of objects
 * (Telegram's `messages`, Google Fit's `Data Points`, Day One's `entries`), the summary says
 * so and how to store one record per item instead: never a silent single row.
 */
function wholeDocumentNote(name: string, doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const arrays = arraysOfObjects(doc as Record<string, unknown>);
  if (!arrays.length) return undefined;
  const flag = (p: string) => (/^[\w/.~-]+$/.test(p) ? p : JSON.stringify(p));
  const listed = arrays.slice(0, 3).map((a) => `${a.pointer} (${a.items} item${a.items === 1 ? '' : 's'})`).join(', ');
  return `${name}: stored as one record, the whole object (its top level is an object, not an array); it holds the array${arrays.length === 1 ? '' : 's'} ${listed}: for one record per item, import it again with --records-path ${flag(arrays[0].pointer)} --force`;
}
