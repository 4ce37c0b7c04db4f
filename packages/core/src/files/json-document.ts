import type { ByteSource } from './byte-source.js';
import { FileImportError } from '../errors.js';
import { JsonValueBuilder } from './json-builder.js';
import { JsonDamage, jsonTokens, type Token } from './json-tokens.js';
import type { TextOptions } from './text-decoding.js';

export interface JsonDocumentItem {
  /** 0-based position in the split array ('item'); 0 for 'document' and 'rest'. */
  index: number;
  /** JSON Pointer of the record: `/3`, `/windows/3`, or `` for the whole document (and the rest). */
  path: string;
  value: unknown;
  /** 'item': an element of the split array; 'document': the whole file; 'rest': the object without the split array. */
  role: 'item' | 'document' | 'rest';
}

export interface JsonDocumentOptions {
  /** JSON Pointer (RFC 6901) of the array whose elements are the records, e.g. `/hrv`. */
  recordsPath?: string;
}

/** `/a~1b/0` → ['a/b', '0']. */
function pointerSegments(file: string, pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new FileImportError(file, `records path "${pointer}" is not a JSON Pointer: it must start with / (e.g. /items)`);
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function feed(b: JsonValueBuilder, t: Token): void {
  switch (t.name) {
    case 'startObject': return b.startObject();
    case 'startArray': return b.startArray();
    case 'endObject':
    case 'endArray': return b.end();
    case 'keyValue': return b.keyValue(t.value!);
    case 'stringValue': return b.stringValue(t.value!);
    case 'numberValue': return b.numberValue(t.value!);
    case 'nullValue': return b.literal(null);
    case 'trueValue': return b.literal(true);
    case 'falseValue': return b.literal(false);
  }
}

const STARTS_VALUE = new Set(['startObject', 'startArray', 'stringValue', 'numberValue', 'nullValue', 'trueValue', 'falseValue']);
const KIND: Record<string, string> = { startObject: 'an object', stringValue: 'a string', numberValue: 'a number', nullValue: 'null', trueValue: 'a boolean', falseValue: 'a boolean' };

interface Frame {
  array: boolean;
  key: string | null;
  index: number;
}

/**
 * The records of a JSON file, one value in memory at a time. A top-level array: one
 * record per element ('item'). Anything else: one record, the whole document
 * ('document'), unless `recordsPath` names an array: then one record per element of
 * it ('item') and one record holding everything else ('rest', left out when empty), so
 * no key of the file is dropped (docs/values.md). A broken file yields every record
 * before the damage, then fails naming the damage's line.
 */
export async function* readJsonDocument(file: ByteSource, options: JsonDocumentOptions & TextOptions = {}): AsyncIterable<JsonDocumentItem> {
  const target = options.recordsPath === undefined ? undefined : pointerSegments(file.path, options.recordsPath);
  const prefix = options.recordsPath ?? '';
  const frames: Frame[] = [];
  const topKeys: string[] = [];
  const rest = new JsonValueBuilder();
  let splitDepth = -1; // frames.length while directly inside the split array
  let splitFound = false;
  let targetKind: string | undefined;
  let element: JsonValueBuilder | undefined;
  let items = 0;
  const atTarget = () => target !== undefined && frames.length === target.length && frames.every((f, i) => (f.array ? String(f.index) : f.key) === target[i]);
  const valueDone = () => {
    const parent = frames[frames.length - 1];
    if (parent?.array) parent.index++;
  };
  try {
    for await (const batch of jsonTokens(file, options.encoding, options.note)) {
      for (const t of batch) {
        if (element) {
          feed(element, t);
          if (element.done) {
            yield { index: frames[frames.length - 1].index, path: `${prefix}/${frames[frames.length - 1].index}`, value: element.value, role: 'item' };
            items++;
            element = undefined;
            valueDone();
          }
          continue;
        }
        if (STARTS_VALUE.has(t.name)) {
          if (frames.length === splitDepth) {
            element = new JsonValueBuilder();
            feed(element, t);
            if (element.done) {
              yield { index: frames[frames.length - 1].index, path: `${prefix}/${frames[frames.length - 1].index}`, value: element.value, role: 'item' };
              items++;
              element = undefined;
              valueDone();
            }
            continue;
          }
          const splitHere = t.name === 'startArray' && (target === undefined ? frames.length === 0 : atTarget());
          if (target !== undefined && !splitHere && atTarget()) targetKind = KIND[t.name];
          if (splitHere) {
            frames.push({ array: true, key: null, index: 0 });
            splitDepth = frames.length;
            splitFound = true;
            continue;
          }
          feed(rest, t);
          if (t.name === 'startObject' || t.name === 'startArray') frames.push({ array: t.name === 'startArray', key: null, index: 0 });
          else valueDone();
          continue;
        }
        if (t.name === 'keyValue') {
          frames[frames.length - 1].key = t.value!;
          if (frames.length === 1 && topKeys.length < 50) topKeys.push(t.value!);
          feed(rest, t);
          continue;
        }
        // endObject / endArray
        if (frames.length === splitDepth) splitDepth = -1;
        else feed(rest, t);
        frames.pop();
        valueDone();
      }
    }
  } catch (err) {
    if (!(err instanceof JsonDamage)) throw err;
    const before = items ? `; the ${items} record(s) before it were read` : '';
    throw new FileImportError(file.path, `not valid JSON at ${err.where}: ${err.message}${before}`);
  }
  if (target !== undefined && !splitFound) {
    const found = targetKind ? `is ${targetKind}, not an array` : 'does not exist';
    const keys = topKeys.length ? `the top-level keys are ${topKeys.map((k) => JSON.stringify(k)).join(', ')}` : 'the document is not an object';
    throw new FileImportError(file.path, `records path ${JSON.stringify(prefix)} ${found}; ${keys}. Pass --records-path with the JSON Pointer of the array of records, or leave it out to store the whole document as one record`);
  }
  if (rest.done && !(splitFound && isEmptyContainer(rest.value))) {
    yield { index: 0, path: '', value: rest.value, role: splitFound ? 'rest' : 'document' };
  }
}

function isEmptyContainer(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : !!v && typeof v === 'object' && Object.keys(v).length === 0;
}
