import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFit, fitCrc, fitRows, loadFitSdk, type FitFileRow } from '../src/index.js';

/** A FIT record: a definition (`def`) or a data message of local type 0. */
type Part = { def: number; fields: [number, number, number][]; dev?: [number, number, number][] } | { data: number[] };

/** A one-section FIT file of these records (little-endian), header and CRCs computed. */
function fitFile(parts: Part[]): Buffer {
  const body: number[] = [];
  for (const p of parts) {
    if ('data' in p) body.push(0, ...p.data);
    else {
      body.push(p.dev ? 0x60 : 0x40, 0, 0, p.def & 0xff, p.def >> 8, p.fields.length, ...p.fields.flat());
      if (p.dev) body.push(p.dev.length, ...p.dev.flat());
    }
  }
  const header = Buffer.from([14, 0x20, 0x54, 0x08, 0, 0, 0, 0, 0x2e, 0x46, 0x49, 0x54, 0, 0]);
  header.writeUInt32LE(body.length, 4);
  header.writeUInt16LE(fitCrc(header, 0, 12), 12);
  const file = Buffer.concat([header, Buffer.from(body), Buffer.alloc(2)]);
  file.writeUInt16LE(fitCrc(file, 0, file.length - 2), file.length - 2);
  return file;
}

const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const fileId: Part[] = [{ def: 0, fields: [[0, 1, 0x00], [1, 2, 0x84], [4, 4, 0x86]] }, { data: [4, 1, 0, ...u32(1_000_000_000)] }];
const developerDataId: Part[] = [{ def: 207, fields: [[3, 1, 0x02]] }, { data: [0] }];
const fieldDescription = (type = 0x84): Part[] => [{ def: 206, fields: [[0, 1, 0x02], [1, 1, 0x02], [2, 1, 0x02], [3, 8, 0x07]] }, { data: [0, 0, type, ...Buffer.from('power\0\0\0')] }];
const recordDef: Part = { def: 20, fields: [[253, 4, 0x86], [3, 1, 0x02]], dev: [[0, 2, 0]] };
const records = (n: number): Part[] => Array.from({ length: n }, (_, i) => ({ data: [...u32(1_000_000_000 + i), 120 + i, 200 + i, 0] }));

const devValues = (file: Buffer) =>
  decodeFit(file).messages.filter((m) => m.name === 'record').map((m) => Object.values((m.fields.developerFields ?? {}) as Record<string, unknown>));

describe('@bronze/fit: developer fields the SDK cannot read are not lost', () => {
  beforeAll(async () => {
    await loadFitSdk();
  });

  it('a file whose developer fields are described decodes them all, with no decoder limit', () => {
    const file = fitFile([...fileId, ...developerDataId, ...fieldDescription(), recordDef, ...records(3)]);
    expect(devValues(file)).toEqual([[200], [201], [202]]);
    expect(decodeFit(file).decoderLimits).toEqual([]);
  });

  // @garmin/fitsdk skips a developer field it has no description for without an error: a
  // file with no developer_data_id (python-fitparse #124, a Garmin FR235), a record before its
  // field_description (fitparse-rs #58, Hammerhead Karoo), or a described type wider than the
  // field stored the record valid and its developer values in no row.
  it.each([
    ['no developer_data_id', [...fileId, ...fieldDescription(), recordDef, ...records(3)], 3],
    ['a record before the field_description', [...fileId, ...developerDataId, recordDef, ...records(1), ...fieldDescription(), recordDef, ...records(2)], 1],
    ['a described type (uint32) wider than the field (2 bytes)', [...fileId, ...developerDataId, ...fieldDescription(0x86), recordDef, ...records(3)], 3],
  ] as [string, Part[], number][])('%s: the section is a decoder limit, its bytes kept, the file row a warning', (_, parts, unread) => {
    const file = fitFile(parts);
    const decoded = decodeFit(file);
    expect(decoded.damage).toBeUndefined();
    expect(decoded.decoderLimits).toHaveLength(1);
    const [limit] = decoded.decoderLimits;
    expect(limit).toMatchObject({ section: 0, undescribedDeveloperFields: unread, decodedMessages: decoded.messages.length, expectedMessages: decoded.messages.length });
    expect(Buffer.from(limit.sectionBase64!, 'base64').equals(file)).toBe(true);
    expect(limit.message).toMatch(new RegExp(`read ${unread} developer field value\\(s\\) as nothing .* in section 0; the section is intact`));
    const [row] = [...fitRows(file)];
    expect((row.record as FitFileRow).decoderLimits).toHaveLength(1);
    expect(row.meta.warning).toContain('developer field value(s)');
  });

  // The SDK decodes a string as UTF-8 and removes every U+FFFD: a Latin-1 `ä` (a Fenix 7 Pro's
  // course name, hevy2garmin #244) became `Hndelstrae`, the record valid, the bytes gone.
  it('a string that is not UTF-8 keeps its section as bytes: the SDK drops what it cannot decode', () => {
    // Message 29 as Garmin's Lctns files write it (unknown to the SDK's profile: its field 0 is kept by number).
    const location = (name: Buffer): Part[] => [{ def: 29, fields: [[0, 16, 0x07]] }, { data: [...Buffer.concat([name, Buffer.alloc(16 - name.length)])] }];
    const utf8 = fitFile([...fileId, ...location(Buffer.from('Händelstraße'))]);
    expect(decodeFit(utf8).decoderLimits).toEqual([]);
    expect(decodeFit(utf8).messages[1].fields['0']).toBe('Händelstraße');
    const latin1 = fitFile([...fileId, ...location(Buffer.from('Händelstraße', 'latin1'))]);
    const decoded = decodeFit(latin1);
    expect(decoded.messages[1].fields['0']).toBe('Hndelstrae');
    expect(decoded.decoderLimits).toMatchObject([{ alteredStrings: 1, section: 0 }]);
    expect(decoded.decoderLimits[0].message).toContain('dropped bytes of 1 string value(s) (not UTF-8, or a U+FFFD) in section 0');
    expect(Buffer.from(decoded.decoderLimits[0].sectionBase64!, 'base64').equals(latin1)).toBe(true);
    // Bytes after the string's NUL are no text (a Fenix 6S fills the field from memory): not flagged.
    expect(decodeFit(fitFile([...fileId, ...location(Buffer.from([...Buffer.from('Polar OH1'), 0, 0, 0x20, 0x14, 0x81, 0]))])).decoderLimits).toEqual([]);
    // A U+FFFD written as such is removed too.
    expect(decodeFit(fitFile([...fileId, ...location(Buffer.from('a\uFFFDb'))])).decoderLimits).toMatchObject([{ alteredStrings: 1 }]);
  });
});
