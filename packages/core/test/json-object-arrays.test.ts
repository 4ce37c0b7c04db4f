import { describe, expect, it } from 'vitest';
import { FileImportError, JsonNumber, readJsonArrays } from '../src/index.js';
import { bytes, collect, collectUntilError } from './byte-source.js';

const read = (text: string, keys: string[], chunk?: number) => collect(readJsonArrays(bytes('/data/Timeline.json', text, chunk), { keys }));

describe('readJsonArrays: several top-level arrays split side by side', () => {
  const timeline = {
    semanticSegments: [{ startTime: 'a', visit: { p: 1 } }, { startTime: 'b', timelinePath: [{ point: 'x' }] }],
    rawSignals: [{ position: { LatLng: '1°, 2°' } }, { wifiScan: { devicesRecords: [] } }, 7],
    userLocationProfile: { frequentPlaces: [{ placeId: 'p' }] },
  };

  it('yields each element with its key, and everything else as one rest record, at any chunk size', async () => {
    for (const chunk of [1, 7, 65536]) {
      const items = await read(JSON.stringify(timeline, null, 2), ['semanticSegments', 'rawSignals'], chunk);
      expect(items.filter((i) => i.key === 'semanticSegments').map((i) => i.value)).toEqual(timeline.semanticSegments);
      expect(items.filter((i) => i.key === 'rawSignals').map((i) => [i.index, i.value])).toEqual(timeline.rawSignals.map((v, n) => [n, v]));
      expect(items.filter((i) => i.role === 'rest')).toEqual([{ index: 0, value: { userLocationProfile: timeline.userLocationProfile }, role: 'rest' }]);
    }
  });

  it('a listed key that is not an array stays in rest; unlisted arrays are not split; a top-level array is split', async () => {
    const items = await read('{"rawSignals": {"x": 1}, "other": [1, 2], "semanticSegments": []}', ['rawSignals', 'semanticSegments']);
    expect(items).toEqual([{ index: 0, value: { rawSignals: { x: 1 }, other: [1, 2] }, role: 'rest' }]);
    expect(await read('[{"a": 1}, 2]', ['x'])).toEqual([{ index: 0, value: { a: 1 }, role: 'item' }, { index: 1, value: 2, role: 'item' }]);
  });

  it('numbers stay exact', async () => {
    const [item] = await read('{"locations": [{"deviceTag": -8024144696862913506}]}', ['locations']);
    expect((item.value as { deviceTag: JsonNumber }).deviceTag).toBeInstanceOf(JsonNumber);
    expect(String((item.value as { deviceTag: JsonNumber }).deviceTag.literal)).toBe('-8024144696862913506');
  });

  it('a document broken part-way yields the elements before the damage, then names the line', async () => {
    const text = `{"locations": [\n${Array.from({ length: 5 }, (_, i) => JSON.stringify({ i })).join(',\n')},\n{"i": 5, "oops`;
    const { items, error } = await collectUntilError(readJsonArrays(bytes('/data/Records.json', text, 16), { keys: ['locations'] }));
    expect(items.map((i) => i.value)).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));
    expect(error).toBeInstanceOf(FileImportError);
    expect(error!.message).toMatch(/Records\.json.*(line 7|line 8).*5 record\(s\) before it/);
  });
});
