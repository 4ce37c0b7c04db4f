import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFit, fitRows, loadFitSdk, type FitFileRow } from '../src/index.js';

// A Bingi watch pool swim (GoldenCheetah's test file, cut; test/fixtures/README.md). Its `lap`
// definitions name some field numbers twice (73 `avg_swolf`, 9 `total_distance`, 13 `avg_speed`, 14, 17, 37), with
// other values: 93 data messages, 60 laps, 40 values the SDK overwrote in 28 of them, counted by
// test/helpers/fit-duplicate-fields.py and fit-walk.py, not by the SDK.
const BINGI = readFileSync(join(import.meta.dirname, 'fixtures', 'goldencheetah_bingiwatch-pool-swim-duplicate-fields-cut.fit'));

describe('@bronze/fit: a definition naming a field number twice', () => {
  beforeAll(async () => {
    await loadFitSdk();
  });

  it('the SDK keeps one value per field number: the section is a decoder limit, its bytes kept', () => {
    const decoded = decodeFit(BINGI);
    expect(decoded.damage).toBeUndefined();
    expect(decoded.messages).toHaveLength(93);
    expect(decoded.messages.filter((m) => m.name === 'lap')).toHaveLength(60);
    // The second lap's bytes: field 73 is 0x001e (30), then 0x0000; the SDK keeps the 0.
    expect(decoded.messages.filter((m) => m.name === 'lap')[1].fields.avgSwolf).toBe(0);
    expect(decoded.decoderLimits).toHaveLength(1);
    const [limit] = decoded.decoderLimits;
    expect(limit).toMatchObject({ section: 0, overwrittenFields: 40, expectedMessages: 93, decodedMessages: 93 });
    expect(Buffer.from(limit.sectionBase64!, 'base64').equals(BINGI)).toBe(true);
  });

  it('the file row is a warning naming the overwritten values', () => {
    const [file] = [...fitRows(BINGI)];
    expect(file.meta.invalid).toBeUndefined();
    expect(file.meta.warning).toMatch(/overwrote 40 field value\(s\) with a later field of the same number/);
    expect((file.record as FitFileRow).decoderLimits?.[0].overwrittenFields).toBe(40);
  });

  it('a field number named twice with the same bytes, or once invalid, loses nothing: no limit', () => {
    // The same file's `record` definitions name 253 (timestamp) twice with equal bytes.
    const records = decodeFit(BINGI).messages.filter((m) => m.name === 'record');
    expect(records).toHaveLength(3);
    expect(records.every((r) => typeof r.fields.timestamp === 'number')).toBe(true);
  });
});
