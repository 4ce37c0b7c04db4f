import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { SaxesParser } from 'saxes';
import { FileImportError } from '@bronze/core';

/** One step of an XML part: names as XmlNames says (local by default: `x:row` and `row` are the same element). */
export type XmlEvent =
  | { type: 'open'; name: string; attrs: Record<string, string> }
  | { type: 'close'; name: string }
  | { type: 'text'; text: string };

/**
 * Bytes parsed between two turns of the event loop: the batch in flight needs it too. Apple
 * Health's reader went to 32 KiB (its parsed elements waited, alive, a slice at a time); here a
 * slice's events are taken at once, and a 200,000-row .xlsx took the same time and memory with
 * 32 KiB as with 64 (docs/benchmark-history.md, 2026-12-01 20:40).
 */
const SLICE_BYTES = 1 << 16;

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * How element and attribute names are given. `local`: without their prefix (`x:row` and
 * `row` are the same element: SpreadsheetML's names are unique). `odf`: OpenDocument's,
 * where `office:value-type` and `calcext:value-type` sit on one cell and mean different
 * things; each name is prefixed by its namespace's usual ODF prefix (ODF_PREFIXES), whatever
 * prefix the file itself binds (`<t:table-row>` with t bound to the table namespace is
 * `table:table-row`); an unknown or unbound namespace reads `?:<local>`.
 */
export type XmlNames = 'local' | 'odf';

const ODF_PREFIXES: Record<string, string> = {
  'urn:oasis:names:tc:opendocument:xmlns:office:1.0': 'office',
  'urn:oasis:names:tc:opendocument:xmlns:table:1.0': 'table',
  'urn:oasis:names:tc:opendocument:xmlns:text:1.0': 'text',
  'urn:oasis:names:tc:opendocument:xmlns:style:1.0': 'style',
  'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0': 'draw',
  'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0': 'manifest',
  'urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0': 'calcext',
};

/**
 * A saxes parser that pushes events into `out`. A DOCTYPE is skipped, never interpreted:
 * saxes expands no declared entity (an entity bomb is an "undefined entity" error) and
 * fetches nothing. Errors name the file, the part and the line and column.
 */
function parserInto(out: XmlEvent[], path: string, part: string, names: XmlNames = 'local', withText = true): SaxesParser {
  const parser = new SaxesParser({ position: true });
  parser.on('error', (err) => {
    throw new FileImportError(path, `${part}: XML broken at line ${parser.line}, column ${parser.column}: ${err.message.replace(/^\d+:\d+: /, '')}`);
  });
  const name = names === 'odf' ? odfNames() : { open: (qname: string) => local(qname), close: (qname: string) => local(qname), attr: (qname: string) => local(qname) };
  parser.on('opentag', (tag) => {
    const raw = tag.attributes as Record<string, string>;
    const element = name.open(tag.name, raw);
    const attrs: Record<string, string> = {};
    for (const k in raw) if (names === 'local' || !k.startsWith('xmlns')) attrs[name.attr(k)] = raw[k];
    out.push({ type: 'open', name: element, attrs }); // self-closing tags get their closetag too
  });
  parser.on('closetag', (tag) => out.push({ type: 'close', name: name.close(tag.name) }));
  if (withText) {
    const onText = (text: string) => out.push({ type: 'text', text });
    parser.on('text', onText);
    parser.on('cdata', onText);
  }
  return parser as SaxesParser;
}

/**
 * ODF names: each prefix as the file binds it (`xmlns:t="…:table:1.0"` makes `t:table-row`
 * `table:table-row`), declarations scoped to their element as XML says. Done here rather
 * than by saxes' own namespace mode, which reads a sheet half as fast.
 */
function odfNames() {
  let prefixes = new Map<string, string>();
  const scopes: { depth: number; outer: Map<string, string> }[] = [];
  let depth = 0;
  const named = (qname: string, element: boolean) => {
    const i = qname.indexOf(':');
    if (i < 0) return element ? `${prefixes.get('') ?? '?'}:${qname}` : qname; // an unprefixed attribute has no namespace
    return `${prefixes.get(qname.slice(0, i)) ?? '?'}:${qname.slice(i + 1)}`;
  };
  return {
    open(qname: string, attrs: Record<string, string>): string {
      depth++;
      let scoped: Map<string, string> | undefined;
      for (const k in attrs) {
        if (!k.startsWith('xmlns') || (k.length > 5 && k[5] !== ':')) continue;
        scoped ??= new Map(prefixes);
        scoped.set(k === 'xmlns' ? '' : k.slice(6), ODF_PREFIXES[attrs[k]] ?? '?');
      }
      if (scoped) {
        scopes.push({ depth, outer: prefixes });
        prefixes = scoped;
      }
      return named(qname, true);
    },
    close(qname: string): string {
      const n = named(qname, true);
      if (scopes.length && scopes[scopes.length - 1].depth === depth) prefixes = scopes.pop()!.outer;
      depth--;
      return n;
    },
    attr: (qname: string) => named(qname, false),
  };
}

interface PartDecoder {
  write(bytes: Buffer): string;
  end(): string;
}

/**
 * How a part's bytes become text: UTF-16 when they start with its byte order mark (XML allows
 * it, and Excel for Windows Phone writes every part so: refused as "XML broken at line 1,
 * column 3" when read as UTF-8), else UTF-8 as before.
 */
function partDecoder(first: Buffer): PartDecoder {
  const utf16 = first[0] === 0xff && first[1] === 0xfe ? 'utf-16le' : first[0] === 0xfe && first[1] === 0xff ? 'utf-16be' : undefined;
  if (!utf16) {
    const utf8 = new StringDecoder('utf8');
    return { write: (b) => utf8.write(b), end: () => utf8.end() };
  }
  const decoder = new TextDecoder(utf16);
  return { write: (b) => decoder.decode(b, { stream: true }), end: () => decoder.decode() };
}

/** A small part's text (workbook.xml, a .rels part), UTF-8 or UTF-16 (partDecoder). */
export function xmlPartText(bytes: Buffer): string {
  const decoder = partDecoder(bytes);
  return decoder.write(bytes) + decoder.end();
}

/** The events of a small part held whole in memory (workbook.xml, a .rels part). */
export function xmlEventsOf(text: string, path: string, part: string, names: XmlNames = 'local'): XmlEvent[] {
  const out: XmlEvent[] = [];
  const parser = parserInto(out, path, part, names);
  parser.write(text);
  parser.close();
  return out;
}

/**
 * The events of a part streamed from the zip, a slice at a time: memory holds one slice's
 * events, never the part (sheets run to hundreds of MB). A stream error (a zip bomb
 * refused by core's limits, a damaged entry) comes through as it is, naming the entry.
 */
export async function* xmlEvents(input: AsyncIterable<Buffer | string>, path: string, part: string, names: XmlNames = 'local'): AsyncIterable<XmlEvent[]> {
  const out: XmlEvent[] = [];
  const parser = parserInto(out, path, part, names);
  let decoder: PartDecoder | undefined;
  let failure: unknown;
  try {
    for await (const chunk of input) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      decoder ??= partDecoder(buf);
      for (let at = 0; at < buf.length; at += SLICE_BYTES) {
        parser.write(decoder.write(buf.subarray(at, at + SLICE_BYTES)));
        if (out.length) yield out.splice(0);
        await nextMacrotask();
      }
    }
    if (decoder) parser.write(decoder.end());
  } catch (err) {
    failure = err;
  }
  if (failure === undefined) {
    try {
      parser.close();
    } catch {
      failure = new FileImportError(path, `${part}: the XML ends before its elements are closed (the part is cut short)`);
    }
  }
  // What was parsed before the damage is good: handed over first, then the error.
  if (out.length) yield out.splice(0);
  if (failure !== undefined) throw failure;
}

/**
 * An XML part parsed piece by piece, synchronously (for streams(), which core calls
 * synchronously): each write gives the elements it completed; no text events (what lists
 * the sheets needs none, and they are most of a sheet's events).
 */
export function xmlElementWriter(path: string, part: string, names: XmlNames = 'local'): { write(text: string): XmlEvent[]; close(): XmlEvent[] } {
  const out: XmlEvent[] = [];
  const parser = parserInto(out, path, part, names, false);
  return {
    write: (text) => (parser.write(text), out.splice(0)),
    close: () => (parser.close(), out.splice(0)),
  };
}
