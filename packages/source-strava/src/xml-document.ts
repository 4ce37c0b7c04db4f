import { TextDecoder } from 'node:util';
import { declaredXmlEncoding, decodeBytes } from '@bronze/core';
import { SaxesParser } from 'saxes';

/**
 * An XML element as JSON, the representation the Apple Health source uses for its GPX
 * routes: attributes as written (strings), each kind of child element as an array under the
 * child's tag name, non-blank text under `#text` (a child named like an attribute goes under
 * `<name>#children`). Nothing is renamed or converted. Comments and processing instructions
 * inside an element go under `#comments` (see XmlNote), those outside the root on the root.
 */
export interface XmlObject {
  [key: string]: string | XmlObject[] | XmlNote[];
}

/**
 * A comment (`<!-- acc:30.0 spd:0.0 … -->`: Ultra GPS Logger writes each point's accuracy and
 * speed so, after its `<trkpt>`) or a processing instruction (`<?xml-stylesheet …?>`), as
 * written, and where it stood: after the child `after.tag` number `after.index` (0-based in that
 * tag's array), else before any child element; `outside` for one before or after the root.
 * No element name starts with `#`, so the key never meets a child's.
 */
export interface XmlNote {
  comment?: string;
  instruction?: { target: string; body: string };
  after?: { tag: string; index: number };
  outside?: 'before' | 'after';
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
  // The last child element closed in each open element: where a comment after it stood.
  const lastChild: ({ tag: string; index: number } | undefined)[] = [];
  const outside: XmlNote[] = [];
  const note = (n: XmlNote) => {
    const current = stack[stack.length - 1];
    if (!current) return void outside.push({ ...n, outside: root ? 'after' : 'before' });
    const after = lastChild[lastChild.length - 1];
    addNote(current, after ? { ...n, after } : n);
  };
  parser.on('comment', (comment) => note({ comment }));
  parser.on('processinginstruction', (pi) => note({ instruction: { target: pi.target, body: pi.body } }));
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
      lastChild[lastChild.length - 1] = { tag: key, index: list.length - 1 };
    } else root = { name: tag.name, value: el };
    stack.push(el);
    lastChild.push(undefined);
  });
  parser.on('closetag', () => {
    stack.pop();
    lastChild.pop();
  });
  const onText = (t: string) => {
    const current = stack[stack.length - 1];
    if (current && /\S/.test(t)) current['#text'] = ((current['#text'] as string | undefined) ?? '') + t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(trimmed).close();
  if (!root) throw new Error('XML holds no element');
  for (const n of outside) addNote(root.value, n);
  return { root: root.name, value: root.value, leadingWhitespace };
}

function addNote(el: XmlObject, n: XmlNote): void {
  const notes = Object.hasOwn(el, '#comments') ? (el['#comments'] as XmlNote[]) : undefined;
  if (notes) notes.push(n);
  else Object.defineProperty(el, '#comments', { value: [n], enumerable: true, writable: true, configurable: true });
}
