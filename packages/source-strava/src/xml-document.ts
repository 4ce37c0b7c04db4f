import { TextDecoder } from 'node:util';
import { declaredXmlEncoding, decodeBytes } from '@bronze/core';
import { SaxesParser } from 'saxes';

/**
 * An XML element as JSON, the representation the Apple Health source uses for its GPX
 * routes: attributes as written (strings), each kind of child element as an array under the
 * child's tag name, non-blank text under `#text` (a child named like an attribute goes under
 * `<name>#children`). Nothing is renamed or converted.
 */
export interface XmlObject {
  [key: string]: string | XmlObject[];
}

export interface XmlDocument {
  /** The root element's name (`gpx`, `TrainingCenterDatabase`). */
  root: string;
  value: XmlObject;
  /** Whitespace before `<?xml` (Garmin's TCX files often start with it), skipped. */
  leadingWhitespace: number;
}

/**
 * The document's text, decoded as XML says: a byte order mark, else the XML declaration's
 * `encoding` (`ISO-8859-1`: WHATWG's windows-1252), else UTF-8. Strictly: bytes invalid in
 * that encoding throw, so the file is stored as its bytes, never with U+FFFD in their place
 * (a Latin-1 `Café` read as UTF-8 was stored `Caf�`, valid).
 */
export function xmlText(bytes: Buffer): string {
  let encoding = 'utf-8';
  let why = 'XML without an encoding declaration is UTF-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) (encoding = 'utf-16le'), (why = 'its byte order mark');
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) (encoding = 'utf-16be'), (why = 'its byte order mark');
  else if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
    const declared = declaredXmlEncoding(bytes.subarray(0, 512).toString('latin1').replace(/^[ \t\r\n]+/, ''));
    if (declared) (encoding = declared), (why = `its XML declaration says encoding="${declared}"`);
  }
  let name: string;
  try {
    name = new TextDecoder(encoding).encoding;
  } catch {
    throw new Error(`${why}, an encoding bronze cannot decode`);
  }
  try {
    // Core's decoder: windows-1252 by its table (Node's TextDecoder misreads 0x80–0x9F).
    return decodeBytes(bytes, name, { fatal: true });
  } catch {
    throw new Error(`not valid ${name} (${why})`);
  }
}

/**
 * Parses a whole (size-capped) XML document. saxes does not fetch external entities or
 * expand a DOCTYPE's own: nothing outside the bytes is read. Malformed XML throws an Error
 * naming the line and column.
 */
export function parseXmlDocument(bytes: Buffer): XmlDocument {
  const text = xmlText(bytes);
  const trimmed = text.replace(/^[ \t\r\n]+/, '');
  const leadingWhitespace = text.length - trimmed.length;
  const parser = new SaxesParser({ position: true });
  const stack: XmlObject[] = [];
  let root: { name: string; value: XmlObject } | undefined;
  parser.on('error', (err) => {
    throw new Error(`XML broken at line ${parser.line}, column ${parser.column}: ${err.message.replace(/^\d+:\d+: /, '')}`);
  });
  parser.on('opentag', (tag) => {
    const el = { ...(tag.attributes as Record<string, string>) } as XmlObject;
    const parent = stack[stack.length - 1];
    if (parent) {
      const key = Object.hasOwn(parent, tag.name) && typeof parent[tag.name] === 'string' ? `${tag.name}#children` : tag.name;
      let list = Object.hasOwn(parent, key) ? (parent[key] as XmlObject[]) : undefined;
      // defineProperty: a child named __proto__ is a key like any other, never a prototype.
      if (!list) Object.defineProperty(parent, key, { value: (list = []), enumerable: true, writable: true, configurable: true });
      list.push(el);
    } else root = { name: tag.name, value: el };
    stack.push(el);
  });
  parser.on('closetag', () => void stack.pop());
  const onText = (t: string) => {
    const current = stack[stack.length - 1];
    if (current && /\S/.test(t)) current['#text'] = ((current['#text'] as string | undefined) ?? '') + t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(trimmed).close();
  if (!root) throw new Error('XML holds no element');
  return { root: root.name, value: root.value, leadingWhitespace };
}
