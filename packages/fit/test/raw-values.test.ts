import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFit, fitRows, loadFitSdk, type FitFileRow } from '../src/index.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
// Counts and values from the independent walker (test/fixtures/README.md), not from the SDK.
const TRIATHLON = 'fitparser_triathlon-summary-first-cut.fit';
const COROS = 'fitparse_coros-pace-2-misaligned-fields-cut.fit';

describe('@bronze/fit: every value the file holds is decoded', () => {
  beforeAll(async () => {
    await loadFitSdk();
  });

  it('a record with cycles and total_cycles (Garmin triathlon file) no longer stops the decoder', () => {
    const decoded = decodeFit(fixture(TRIATHLON));
    expect(decoded.decoderLimits.map((l) => l.message)).toEqual([]);
    expect(decoded.damage).toBeUndefined();
    expect(decoded.messages).toHaveLength(137);
    const records = decoded.messages.filter((m) => m.name === 'record');
    expect(records.map((r) => [r.fields.distance, r.fields.cycles, r.fields.totalCycles])).toEqual([[62, 0, 0], [124, 0, 0], [186, 0, 0]]);
    const [file] = [...fitRows(fixture(TRIATHLON))];
    expect(file.meta.warning).toBeUndefined();
  });

  it('a field stored with more values than the profile expects keeps all of them (big-endian session)', () => {
    const sessions = decodeFit(fixture(TRIATHLON)).messages.filter((m) => m.name === 'session');
    expect(sessions).toHaveLength(5);
    // 8 bytes of uint32 in the file: 0x000002f8, 0x0000ffff.
    expect(sessions[0].fields.enhancedAvgSpeed).toEqual([760, 65535]);
    expect(sessions[0].fields.enhancedMaxSpeed).toEqual([1500, 65535]);
    expect(sessions[1].fields.enhancedAvgSpeed).toEqual([842, 65535]);
  });

  it('a field whose size is not a multiple of its type (Coros event.data, uint32 in 1 byte) is kept as bytes', () => {
    const buf = fixture(COROS);
    const decoded = decodeFit(buf);
    expect(decoded.messages).toHaveLength(24);
    const events = decoded.messages.filter((m) => m.name === 'event');
    expect(events).toHaveLength(12);
    // The 5 events whose definition gives `data` 1 byte: the byte (0x00) was dropped by the SDK.
    expect(events.filter((e) => e.fields.data === 0)).toHaveLength(5);
    expect(decoded.sections[0].fieldsAsBytes).toBe(5);
    const [file] = [...fitRows(buf)];
    expect(file.meta.invalid ?? file.meta.warning).toBeUndefined();
    expect((file.record as FitFileRow).sections[0]).toMatchObject({ messages: 24, fieldsAsBytes: 5 });
  });
});
