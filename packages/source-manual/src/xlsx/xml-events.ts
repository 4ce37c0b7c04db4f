import { StringDecoder } from 'node:string_decoder';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { SaxesParser } from 'saxes';
import { FileImportError } from '@bronze/core';

/** One step of an XML part: names are local (`x:row` and `row` are the same element). */
export type XmlEvent =
  | { type: 'open'; name: string; attrs: Record<string, string> }
  | { type: 'close'; name: string }
  | { type: 'text'; text: string };

/** Bytes parsed between two turns of the event loop: the batch in flight needs it too. */
const SLICE_BYTES = 1 << 16;

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * A saxes parser that pushes events into `out`. A DOCTYPE is skipped, never interpreted:
 * saxes expands no declared entity (an entity bomb is an "undefined entity" error) and
 * fetches nothing. Errors name the file, the part and the line and column.
 */
function parserInto(out: XmlEvent[], path: string, part: string): SaxesParser {
  const parser = new SaxesParser({ position: true });
  parser.on('error', (err) => {
    throw new FileImportError(path, `${part}: XML broken at line ${parser.line}, column ${parser.column}: ${err.message.replace(/^\d+:\d+: /, '')}`);
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes as Record<string, string>)) attrs[local(k)] = v;
    out.push({ type: 'open', name: local(tag.name), attrs }); // self-closing tags get their closetag too
  });
  parser.on('closetag', (tag) => out.push({ type: 'close', name: local(tag.name) }));
  const onText = (text: string) => out.push({ type: 'text', text });
  parser.on('text', onText);
  parser.on('cdata', onText);
  return parser;
}

/** The events of a small part held whole in memory (workbook.xml, a .rels part). */
export function xmlEventsOf(text: string, path: string, part: string): XmlEvent[] {
  const out: XmlEvent[] = [];
  const parser = parserInto(out, path, part);
  parser.write(text);
  parser.close();
  return out;
}

/**
 * The events of a part streamed from the zip, a slice at a time: memory holds one slice's
 * events, never the part (sheets run to hundreds of MB). A stream error (a zip bomb
 * refused by core's limits, a damaged entry) comes through as it is, naming the entry.
 */
export async function* xmlEvents(input: AsyncIterable<Buffer | string>, path: string, part: string): AsyncIterable<XmlEvent[]> {
  const out: XmlEvent[] = [];
  const parser = parserInto(out, path, part);
  const decoder = new StringDecoder('utf8');
  let failure: unknown;
  try {
    for await (const chunk of input) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let at = 0; at < buf.length; at += SLICE_BYTES) {
        parser.write(decoder.write(buf.subarray(at, at + SLICE_BYTES)));
        if (out.length) yield out.splice(0);
        await nextMacrotask();
      }
    }
    parser.write(decoder.end());
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
