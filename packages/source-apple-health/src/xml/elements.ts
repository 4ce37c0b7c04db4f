import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { SaxesParser } from 'saxes';
import { FileImportError } from '@bronze/core';
import { SliceOffsets, XmlDamage } from './damage.js';
import type { ReadXmlOptions, XmlElement, XmlObject } from './element-types.js';
import { DisallowedChars } from './disallowed-chars.js';
import { ReplacedBytes } from './replaced-bytes.js';
import { BytesNotInEncoding } from './declared-encoding.js';
import { checkedPartDecoder, withDeclarationWhole, xmlDecoder, type XmlDecoder } from './xml-decoder.js';

/**
 * Bytes parsed between two turns of the event loop (~70 elements). A slice's elements wait,
 * parsed, until the ingest takes them, and every young-generation collection copied them: 64 KiB
 * slices cost ~20% more CPU per record than 16 or 32 KiB ones (which measured alike), 8 KiB more
 * event-loop turns than it saved (docs/benchmark-history.md, 2026-12-01 16:00).
 */
export const SLICE_BYTES = 1 << 15;

/** Levels below a record's element that are built; deeper ones make the record invalid (no stack overflow downstream). */
export const MAX_DEPTH = 256;

/** Characters of XML one record may span; beyond it the record keeps its attributes only and is invalid (bounded memory). */
export const MAX_ELEMENT_CHARS = 32 * 1024 * 1024;

export type { ReadXmlOptions, XmlElement, XmlObject } from './element-types.js';

/** The element's own warning (XmlElement.warning) as a row's message, naming file and line. */
export function elementWarning(el: XmlElement, label: string): string | undefined {
  return el.warning ? `${label} line ${el.line}: ${el.warning}` : undefined;
}

/**
 * Streams the records of an XML byte stream, one at a time: memory holds one record and
 * one input chunk, never the document. The DOCTYPE's internal subset is skipped, not
 * interpreted: no external entity is fetched, no custom entity is expanded.
 *
 * A record nested deeper than maxDepth or spanning more than maxElementChars is handed
 * over with its attributes and a `problem`, and reading goes on after it.
 *
 * When the input breaks (truncated, malformed, or the stream fails) every record
 * completed before the damage is yielded first, then a FileImportError names the line,
 * column and byte where reading stopped: an XmlDamage for broken XML, which also says
 * where the text not handed over starts and what of the open element was read.
 */
export async function* readXmlElements(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, label: string, options: ReadXmlOptions | 0 | 1): AsyncIterable<XmlElement> {
  const o: ReadXmlOptions = typeof options === 'number' ? { containers: options } : options;
  const isContainer = typeof o.containers === 'function' ? o.containers : (p: readonly string[]) => p.length <= (o.containers as number);
  const maxDepth = o.maxDepth ?? MAX_DEPTH;
  const maxChars = o.maxElementChars ?? MAX_ELEMENT_CHARS;
  const parser = new SaxesParser({ position: true });
  // Reading again after damage (o.resume): the parser first reads the container's opening,
  // then the file's text from a line's start. Lines and bytes are reported as the file's.
  const resume = o.resume;
  const prefix = resume ? `<${resume.container}>` : '';
  const lineBase = resume ? resume.line - 1 : 0;
  const byteBase = resume ? resume.byte - Buffer.byteLength(prefix) : 0;
  const lineNow = () => parser.line + lineBase;
  const columnNow = () => (resume && parser.line === 1 ? parser.column - prefix.length : parser.column);
  const opened: string[] = [];
  const building: XmlObject[] = [];
  const ready: XmlElement[] = [];
  let root: Record<string, string> = {};
  let startLine = 0;
  let startAt = 0;
  let startName = '';
  const offsets = new SliceOffsets();
  let decoder: XmlDecoder | undefined;
  const replaced = new ReplacedBytes();
  const disallowed = new DisallowedChars(() => `line ${lineNow()}, column ${columnNow()}`);
  /** Position just after the last element (or container opening) handed over, and its byte offset once known. */
  let handedOverAt = 0;
  let handedOverByte = 0;
  const settleHandedOver = () => {
    if (handedOverAt > 0 && offsets.holds(handedOverAt)) handedOverByte = byteBase + offsets.byteAt(handedOverAt);
  };
  let problem: string | undefined;
  /** Open tags inside the record that are not built (too deep, or the record too large). */
  let skipping = 0;
  let bytes = resume ? resume.byte : 0;
  const where = () => `line ${lineNow()}, column ${columnNow()} (after ${bytes.toLocaleString('en-US')} bytes)`;
  /** Broken XML: the byte of the character the parser failed on (the end, when the file ends too soon). */
  const damage = (label: string, message: string, atEnd: boolean, atByte?: number): XmlDamage => {
    const byte = atByte ?? byteBase + (atEnd ? offsets.byteAt(parser.position) : offsets.byteAt(Math.max(0, parser.position - 1)));
    settleHandedOver();
    const partial = building.length ? { partial: { name: startName, line: startLine, value: building[0] } } : {};
    const at = `line ${lineNow()}, column ${columnNow()} (byte ${byte.toLocaleString('en-US')})`;
    const unreadFrom = handedOverByte || (resume ? resume.byte : 0);
    const encoding = decoder ? { encoding: decoder.encoding } : {};
    return new XmlDamage(label, message.replace('@', at), { line: lineNow(), column: columnNow(), byte, unreadFrom, ...partial, ...encoding });
  };

  let truncated = false;
  const tooLarge = () => {
    if (truncated || parser.position - startAt <= maxChars) return false;
    truncated = true;
    const msg = `the element that starts at line ${startLine} spans more than ${maxChars.toLocaleString('en-US')} characters; only its attributes are stored`;
    problem = problem ? `${problem}; ${msg}` : msg;
    const top = building[0];
    for (const k of Object.keys(top)) if (typeof top[k] !== 'string') delete top[k];
    // The open children are no longer built: their closing tags are skipped.
    skipping += building.length - 1;
    building.length = 1;
    return true;
  };

  /**
   * A closing tag not its own (`</HealthData>` while a Correlation is open) made saxes close
   * the element and hand it over: the element is kept as read, with a warning, and the tag's
   * bytes are not counted as handed over, so the text row after the damage starts with them.
   */
  const closedByAnother = () => {
    const el = ready[ready.length - 1];
    if (!el || el.container || handedOverAt !== parser.position) return;
    const tag = offsets.closingTagBefore(parser.position);
    if (!tag) return;
    handedOverAt = tag.at;
    const note = `no closing tag of its own: ${tag.text} at line ${lineNow()} ended it, so it holds everything from its start up to there`;
    el.warning = el.warning ? `${el.warning}; ${note}` : note;
  };

  // saxes hands over what lies between `<!DOCTYPE` and its closing `>`; its only statement of
  // the format's version is there (`<!-- HealthKit Export Version: 12 -->`).
  let doctype: string | undefined;
  parser.on('doctype', (text) => {
    doctype = `<!DOCTYPE${text}>`;
  });
  let closing = false;
  parser.on('error', (err) => {
    if (closing && opened.length > 0) {
      const inside = building.length ? ` inside the element that starts at line ${startLine}` : '';
      throw damage(label, `the XML ends at @${inside}, before its elements are closed: the file is truncated; the complete elements before it were read`, true);
    }
    if (disallowed.tolerate(parser, err.message)) return; // a control character in an element: kept, noted
    if (err.message.endsWith('unexpected close tag.')) closedByAnother();
    // saxes prefixes "line:column: "; our message names the place in words instead.
    throw damage(label, `XML broken at @: ${err.message.replace(/^\d+:\d+: /, '')}`, false);
  });
  parser.on('opentag', (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    opened.push(tag.name);
    if (skipping) {
      skipping++;
      return;
    }
    if (building.length === 0) {
      if (isContainer(opened)) {
        if (opened.length === 1) root = attributes;
        const chars = disallowed.take();
        if (o.yieldContainers && (opened.length === 1 || Object.keys(attributes).length)) {
          const declared = opened.length === 1 && doctype !== undefined ? { doctype } : {};
          ready.push({ name: tag.name, value: attributes, line: lineNow(), root, path: opened.slice(0, -1), container: true, ...declared, ...(chars ? { warning: chars } : {}) });
          handedOverAt = parser.position;
        }
        return;
      }
      startLine = lineNow();
      startAt = parser.position;
      startName = tag.name;
      problem = undefined;
      truncated = false;
      building.push(attributes);
      return;
    }
    if (truncated || tooLarge()) {
      skipping++;
      return;
    }
    if (building.length > maxDepth) {
      problem ??= `the element that starts at line ${startLine} is nested more than ${maxDepth} levels deep (line ${lineNow()}); the levels below ${maxDepth} are not stored`;
      skipping++;
      return;
    }
    const parent = building[building.length - 1];
    const key = typeof parent[tag.name] === 'string' ? `${tag.name}#children` : tag.name;
    ((parent[key] as XmlObject[] | undefined) ?? (parent[key] = [])).push(attributes);
    building.push(attributes);
  });
  parser.on('closetag', (tag) => {
    opened.pop();
    if (building.length === 0) return; // a container closes
    if (!skipping) tooLarge();
    if (skipping) {
      skipping--;
      return;
    }
    const obj = building.pop()!;
    if (building.length === 0) {
      const bytesNote = replaced.warningFor(obj);
      const charsNote = disallowed.take();
      const warning = bytesNote && charsNote ? `${bytesNote}; ${charsNote}` : bytesNote ?? charsNote;
      const decoding = warning ? { warning } : {};
      ready.push({ name: tag.name, value: obj, line: startLine, root, path: [...opened], ...(problem ? { problem } : {}), ...(truncated ? { oversized: true } : {}), ...decoding });
      handedOverAt = parser.position;
    }
  });
  /**
   * Text between elements, inside a container but in no element: well-formed XML, but in no
   * record either. Handed over as an element `#text` with a problem, so it is stored (invalid)
   * instead of vanishing; indentation is no such text. `end` is where the text ends.
   */
  const strayText = (text: string, end: number) => {
    // The line of its first visible character: the text itself starts at the previous tag's end.
    const line = lineNow() - (text.slice(text.search(/\S/)).match(/\n/g)?.length ?? 0);
    const problem = `text between elements at line ${line}, inside no element of ${opened.join('/') || 'the document'}: stored as written in this row`;
    ready.push({ name: '#text', value: { '#text': text }, line, root, path: [...opened], problem });
    handedOverAt = end;
  };
  const onText = (text: string, cdata: boolean) => {
    const current = building[building.length - 1];
    if (!current) {
      // Between elements such characters are no element's text but damage (NULs where records were).
      const chars = disallowed.found();
      if (chars) throw damage(label, `XML broken at @: characters XML does not allow between elements (${chars})`, false);
      // A text event comes when the next tag's `<` is read; a CDATA section's after its `]]>`.
      if (/\S/.test(text)) strayText(text, cdata ? parser.position : parser.position - 1);
      return;
    }
    if (skipping || truncated || !/\S/.test(text) || tooLarge()) return;
    current['#text'] = ((current['#text'] as string | undefined) ?? '') + text;
  };
  parser.on('text', (text) => onText(text, false));
  parser.on('cdata', (text) => onText(text, true));

  // Chosen by the first bytes (UTF-16 after its byte order mark, else the XML declaration's
  // encoding, else UTF-8); a resumed reading starts mid-file, in the encoding the damage named.
  const useDecoder = (d: XmlDecoder) => {
    decoder = d;
    offsets.measure = d.byteLength;
    replaced.use(d);
  };
  let failure: unknown;
  try {
    if (resume) useDecoder(xmlDecoder(resume.encoding ?? 'UTF-8', prefix.length));
    if (prefix) {
      offsets.next(prefix);
      parser.write(prefix);
    }
    for await (const chunk of resume ? input : withDeclarationWhole(input)) {
      // Small slices, decoded one by one: each string stays in V8's young generation
      // (a 1 MB string goes to large-object space, freed only by a full GC), and few
      // parsed elements are alive at once: a lower peak RSS. Between slices the event
      // loop gets a turn: parsing and hashing are synchronous, and the batch in flight
      // needs it to read the database's replies.
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (!decoder && buf.length) useDecoder(await checkedPartDecoder(buf, label, o.readAgain));
      for (let at = 0; at < buf.length; at += SLICE_BYTES) {
        const piece = buf.length <= SLICE_BYTES ? buf : buf.subarray(at, at + SLICE_BYTES);
        bytes += piece.length;
        const text = decoder!.write(piece);
        replaced.observe(piece, text, bytes);
        offsets.next(text);
        parser.write(text);
        settleHandedOver();
        yield* ready.splice(0);
        await nextMacrotask();
      }
    }
    const rest = decoder?.end() ?? '';
    offsets.next(rest);
    parser.write(rest);
    closing = true;
    parser.close();
  } catch (err) {
    // Bytes invalid in a declared encoding, found while reading (the part was not checked whole
    // first): damage where they start, the text from the last element handed over kept.
    const invalid = err instanceof BytesNotInEncoding ? (resume ? resume.byte : 0) + err.byte : undefined;
    const why = invalid === undefined ? '' : `XML broken at @: bytes that are not ${(err as BytesNotInEncoding).encoding}, its declared encoding, from byte ${invalid.toLocaleString('en-US')}`;
    failure = invalid === undefined ? err : damage(label, why, true, invalid);
  }
  // Elements completed before the damage are good: hand them over before failing.
  yield* ready.splice(0);
  if (failure instanceof FileImportError) throw failure;
  if (failure) {
    const msg = (failure as Error).message;
    throw new FileImportError(label, `reading stopped at ${where()}: ${msg}`);
  }
}
