import type { ByteSource } from './readers.js';
import { FileImportError } from '../errors.js';
import { JsonValueBuilder } from './json-builder.js';
import { JsonDamage, jsonTokens } from './json-tokens.js';
import { feed } from './json-document.js';
import type { TextOptions } from './text-decoding.js';

export interface JsonArraysItem {
  /** The top-level key of the split array ('item'); undefined for 'rest' and for a top-level array's elements. */
  key?: string;
  /** 0-based position in its array; 0 for 'rest'. */
  index: number;
  value: unknown;
  /** 'item': an element of a split array; 'rest': the object without the split arrays. */
  role: 'item' | 'rest';
}

export interface JsonArraysOptions extends TextOptions {
  /** Top-level keys whose arrays are split into one record per element (`semanticSegments`, `rawSignals`). */
  keys: string[];
}

/**
 * Like `jsonDocument` with `recordsPath`, for documents holding several big arrays side by
 * side (Google's Timeline.json: `semanticSegments`, `rawSignals`): every element of each
 * top-level array named in `keys` is one record ('item', with its key), and everything else
 * of the object is one 'rest' record (left out when empty), so no key is dropped. A
 * top-level array is split as a whole. One value in memory at a time; a broken file yields
 * every record before the damage, then fails naming its line.
 */
export async function* readJsonArrays(file: ByteSource, options: JsonArraysOptions): AsyncIterable<JsonArraysItem> {
  const keys = new Set(options.keys);
  const rest = new JsonValueBuilder();
  let depth = 0; // containers of the rest document open around the next token
  let pendingKey: string | undefined; // a listed top-level key whose value is not seen yet
  let splitting: { key?: string } | undefined; // inside the array being split
  let index = 0;
  let element: JsonValueBuilder | undefined;
  let items = 0;
  const item = (value: unknown): JsonArraysItem => ({ ...(splitting!.key === undefined ? {} : { key: splitting!.key }), index: index++, value, role: 'item' });
  try {
    for await (const batch of jsonTokens(file, options.encoding)) {
      for (const t of batch) {
        if (splitting) {
          if (!element && t.name === 'endArray') {
            splitting = undefined;
            continue;
          }
          element ??= new JsonValueBuilder();
          feed(element, t);
          if (element.done) {
            yield item(element.value);
            items++;
            element = undefined;
          }
          continue;
        }
        if (t.name === 'startArray' && (depth === 0 || pendingKey !== undefined)) {
          splitting = pendingKey === undefined ? {} : { key: pendingKey };
          pendingKey = undefined;
          index = 0;
          continue;
        }
        if (pendingKey !== undefined) {
          rest.keyValue(pendingKey); // a listed key whose value is not an array: kept in rest
          pendingKey = undefined;
        }
        if (depth === 1 && t.name === 'keyValue' && keys.has(t.value!)) {
          pendingKey = t.value!;
          continue;
        }
        feed(rest, t);
        if (t.name === 'startObject' || t.name === 'startArray') depth++;
        else if (t.name === 'endObject' || t.name === 'endArray') depth--;
      }
    }
  } catch (err) {
    if (!(err instanceof JsonDamage)) throw err;
    const before = items ? `; the ${items} record(s) before it were read` : '';
    throw new FileImportError(file.path, `not valid JSON at ${err.where}: ${err.message}${before}`);
  }
  if (rest.done && !isEmptyContainer(rest.value)) yield { index: 0, value: rest.value, role: 'rest' };
}

function isEmptyContainer(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : !!v && typeof v === 'object' && Object.keys(v).length === 0;
}
