import { isUtf8 } from 'node:buffer';

/** Size of each FIT base type, by its number (the low 5 bits of the base type byte). */
export const BASE_TYPE_SIZE = [1, 1, 1, 2, 2, 4, 4, 1, 4, 8, 1, 2, 4, 1, 8, 8, 8];

/** What a definition record says of a data message's layout. */
export interface DefinitionLayout {
  /** The global message number. */
  global: number;
  /** Each regular field, its base type byte and where it lies in a data message. */
  fields: { num: number; size: number; at: number; type: number }[];
  /** Field numbers the definition names more than once (duplicate-fields.ts); absent when none. */
  duplicated?: number[];
  /** The string fields (base type 7), which the SDK decodes as UTF-8 dropping what is not. */
  strings: { size: number; at: number }[];
  dev: { num: number; size: number; index: number }[];
}

export const DEVELOPER_DATA_ID = 207;
export const FIELD_DESCRIPTION = 206;

/**
 * The developer fields the SDK can read, as it learns them: a developer_data_id registers its
 * developer_data_index (field 3), anew; a field_description of a registered index describes
 * field_definition_number (field 1) with fit_base_type_id (field 2).
 */
export class DeveloperFields {
  private readonly described = new Map<number, Map<number, number | undefined>>();

  learn(def: DefinitionLayout, body: Buffer): void {
    const byte = (num: number) => {
      const f = def.fields.find((x) => x.num === num && x.size >= 1);
      return f === undefined ? undefined : body[f.at];
    };
    if (def.global === DEVELOPER_DATA_ID) {
      const index = byte(3);
      if (index !== undefined && index !== 0xff) this.described.set(index, new Map());
    } else if (def.global === FIELD_DESCRIPTION) {
      const index = byte(0);
      const num = byte(1);
      const type = byte(2);
      const fields = index === undefined ? undefined : this.described.get(index);
      if (fields && num !== undefined && type !== undefined) fields.set(num, BASE_TYPE_SIZE[type & 0x1f]);
    }
  }

  /** How many of a data message's developer-field values the SDK reads as nothing. */
  unreadable(def: DefinitionLayout): number {
    let n = 0;
    for (const f of def.dev) {
      const fields = this.described.get(f.index);
      if (!fields?.has(f.num)) n++;
      else {
        const typeSize = fields.get(f.num);
        if (typeSize !== undefined && f.size % typeSize !== 0) n++;
      }
    }
    return n;
  }
}

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/**
 * String fields of a data message the SDK alters: it decodes the bytes as UTF-8 and removes
 * every U+FFFD, so a byte that is not UTF-8 (a Latin-1 `ä` in a Fenix 7 Pro's course name,
 * hevy2garmin #244) or a U+FFFD written as such vanishes without a word.
 */
export function alteredStrings(def: DefinitionLayout, body: Buffer): number {
  let n = 0;
  for (const f of def.strings) {
    const field = body.subarray(f.at, f.at + f.size);
    // The string ends at its NUL: Garmin fills the rest of a fixed-size field with whatever
    // was in memory (`Polar OH1\0\0 \x14\x81…`, a Fenix 6S), which is no text.
    const end = field.indexOf(0);
    const text = end === -1 ? field : field.subarray(0, end);
    if (!isUtf8(text) || text.includes(REPLACEMENT)) n++;
  }
  return n;
}
