import { StringDecoder } from 'node:string_decoder';
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { SaxesParser } from 'saxes';
import { FileImportError } from '@bronze/core';

/**
 * An XML element as JSON, nothing renamed or converted: its attributes exactly as
 * written (strings), each kind of child element as an array under the child's tag name,
 * and non-blank text under `#text` (no XML name can start with `#`).
 */
/** Bytes parsed between two turns of the event loop (~100 elements). */
const SLICE_BYTES = 1 << 16;

export interface XmlObject {
  [key: string]: string | XmlObject[];
}

export interface XmlElement {
  name: string;
  value: XmlObject;
  /** 1-based line where the element starts. */
  line: number;
  /** The attributes of the document's root element (e.g. HealthData's locale). */
  root: Record<string, string>;
}

/**
 * Streams the complete elements found at `level` (0: the root element itself, 1: the
 * root's children) of an XML byte stream, one at a time: memory holds one element and
 * one input chunk, never the document. The DOCTYPE's internal subset is skipped, not
 * interpreted: no external entity is fetched, no custom entity is expanded.
 *
 * When the input breaks (truncated, malformed, or the stream fails) every element
 * completed before the damage is yielded first, then a FileImportError names the line,
 * column and byte count where reading stopped.
 */
export async function* readXmlElements(input: AsyncIterable<Buffer | string>, label: string, level: 0 | 1): AsyncIterable<XmlElement> {
  const parser = new SaxesParser({ position: true });
  const building: XmlObject[] = [];
  const ready: XmlElement[] = [];
  let root: Record<string, string> = {};
  let depth = 0;
  let startLine = 0;
  let bytes = 0;
  const where = () => `line ${parser.line}, column ${parser.column} (after ${bytes.toLocaleString('en-US')} bytes)`;

  let closing = false;
  parser.on('error', (err) => {
    if (closing && depth > 0) {
      const inside = building.length ? ` inside the element that starts at line ${startLine}` : '';
      throw new FileImportError(label, `the XML ends at ${where()}${inside}, before its elements are closed: the file is truncated; the complete elements before it were read`);
    }
    // saxes prefixes "line:column: "; our message names the place in words instead.
    throw new FileImportError(label, `XML broken at ${where()}: ${err.message.replace(/^\d+:\d+: /, '')}`);
  });
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    if (depth < level) {
      if (depth === 0) root = attributes;
      depth++;
      return;
    }
    const obj: XmlObject = attributes;
    const parent = building[building.length - 1];
    if (parent) {
      const key = typeof parent[tag.name] === 'string' ? `${tag.name}#children` : tag.name;
      ((parent[key] as XmlObject[] | undefined) ?? (parent[key] = [])).push(obj);
    } else startLine = parser.line;
    building.push(obj);
    depth++;
  });
  parser.on('closetag', (tag) => {
    depth--;
    if (depth < level) return;
    const obj = building.pop()!;
    if (building.length === 0) ready.push({ name: tag.name, value: obj, line: startLine, root });
  });
  const onText = (text: string) => {
    const current = building[building.length - 1];
    if (current && /\S/.test(text)) current['#text'] = ((current['#text'] as string | undefined) ?? '') + text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  const decoder = new StringDecoder('utf8');
  let failure: unknown;
  try {
    for await (const chunk of input) {
      // Small slices, decoded one by one: each string stays in V8's young generation
      // (a 1 MB string goes to large-object space, freed only by a full GC), and few
      // parsed elements are alive at once: a lower peak RSS. Between slices the event
      // loop gets a turn: parsing and hashing are synchronous, and the batch in flight
      // needs it to read the database's replies.
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let at = 0; at < buf.length; at += SLICE_BYTES) {
        const piece = buf.length <= SLICE_BYTES ? buf : buf.subarray(at, at + SLICE_BYTES);
        bytes += piece.length;
        parser.write(decoder.write(piece));
        yield* ready.splice(0);
        await nextMacrotask();
      }
    }
    parser.write(decoder.end());
    closing = true;
    parser.close();
  } catch (err) {
    failure = err;
  }
  // Elements completed before the damage are good: hand them over before failing.
  yield* ready.splice(0);
  if (failure instanceof FileImportError) throw failure;
  if (failure) {
    const msg = (failure as Error).message;
    throw new FileImportError(label, `reading stopped at ${where()}: ${msg}`);
  }
}
