import StreamJson from 'stream-json';
import Assembler from 'stream-json/Assembler.js';
import type { ByteSource } from './readers.js';
import { FileImportError } from '../errors.js';
import { preciseNumber } from './precise-json.js';
import { openText, type TextOptions } from './text-decoding.js';

export interface JsonDocumentItem {
  /** 0-based position in the array. */
  index: number;
  /** JSON path of the element, e.g. `$[3]` or `$.entries[3]`. */
  path: string;
  value: unknown;
}

interface Token {
  name: string;
  value?: string;
}

/** stream-json's Assembler, keeping integers past 2^53 exact (see precise-json.ts). */
function preciseAssembler(): InstanceType<typeof Assembler> {
  const asm = new Assembler() as InstanceType<typeof Assembler> & { _saveValue(v: unknown): void; numberValue(v: string): void };
  asm.numberValue = (v: string) => asm._saveValue(preciseNumber(v));
  return asm;
}

const OPEN = new Set(['startObject', 'startArray']);
const CLOSE = new Set(['endObject', 'endArray']);

/**
 * Streams the elements of a top-level array, or of the first array-valued key of a
 * top-level object; an object holding no array is one element. Memory holds one element
 * at a time. Malformed JSON fails with the file's path after the elements before it.
 */
export async function* readJsonDocument(file: ByteSource, o: TextOptions = {}): AsyncIterable<JsonDocumentItem> {
  const tokens = (await openText(file, o.encoding)).pipe(StreamJson.parser({ streamValues: false, streamKeys: false, streamStrings: false, streamNumbers: false }));
  let depth = 0;
  let mode: 'unknown' | 'array' | 'object' = 'unknown';
  let targetKey: string | undefined;
  let lastKey: string | undefined;
  let inTarget = false;
  let element: InstanceType<typeof Assembler> | undefined;
  let elementDepth = 0;
  let index = 0;
  let whole: InstanceType<typeof Assembler> | undefined;
  try {
    for await (const t of tokens as AsyncIterable<Token>) {
      if (mode === 'unknown') {
        if (t.name === 'startArray') {
          mode = 'array';
          inTarget = true;
        } else if (t.name === 'startObject') {
          mode = 'object';
          whole = preciseAssembler();
          whole.consume(t);
        } else {
          throw new FileImportError(file.path, 'holds a single JSON value; expected an array of objects or an object holding one');
        }
        depth = 1;
        continue;
      }
      if (element) {
        element.consume(t);
        if (OPEN.has(t.name)) elementDepth++;
        else if (CLOSE.has(t.name)) elementDepth--;
        if (elementDepth === 0) {
          yield { index, path: targetKey === undefined ? `$[${index}]` : `$.${targetKey}[${index}]`, value: element.current };
          index++;
          element = undefined;
        }
        continue;
      }
      if (inTarget && depth === (mode === 'array' ? 1 : 2)) {
        if (t.name === 'endArray') {
          inTarget = false;
          depth--;
          continue;
        }
        element = preciseAssembler();
        element.consume(t);
        elementDepth = OPEN.has(t.name) ? 1 : 0;
        if (elementDepth === 0) {
          yield { index, path: targetKey === undefined ? `$[${index}]` : `$.${targetKey}[${index}]`, value: element.current };
          index++;
          element = undefined;
        }
        continue;
      }
      if (mode === 'object' && depth === 1 && t.name === 'keyValue') lastKey = t.value;
      if (mode === 'object' && depth === 1 && t.name === 'startArray' && targetKey === undefined) {
        targetKey = lastKey;
        inTarget = true;
        depth++;
        whole = undefined;
        continue;
      }
      whole?.consume(t);
      if (OPEN.has(t.name)) depth++;
      else if (CLOSE.has(t.name)) depth--;
    }
  } catch (err) {
    if (err instanceof FileImportError) throw err;
    throw new FileImportError(file.path, `not valid JSON after ${index} element(s): ${(err as Error).message}`);
  }
  if (mode === 'object' && targetKey === undefined && whole) {
    yield { index: 0, path: '$', value: whole.current };
  }
}
