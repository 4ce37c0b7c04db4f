import { join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { generateTakeout, type TakeoutScale } from '../src/index.js';
import { expectedCounts, materialize, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

const earlier: TakeoutScale = { locations: 1200, semantic: 230, activities: 150, subscriptions: 20, fitDays: 3 };
const later: TakeoutScale = { locations: 1500, semantic: 260, activities: 190, subscriptions: 24, fitDays: 5 };

describeOneEngine('google takeout: two overlapping Takeouts', (db) => {
  it('the later one adds exactly its new records; rows per stream = elements per stream', async () => {
    const dir = tempDir();
    const first = await materialize(generateTakeout(earlier));
    const second = await materialize(generateTakeout(later));
    const a = await run(db(), [await writeZip(join(dir, 'takeout-20240101T000000Z-001.zip'), first)]);
    expect(a.status, a.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(expectedCounts(first));

    const b = await run(db(), [await writeZip(join(dir, 'takeout-20240601T000000Z-001.zip'), second)]);
    expect(b.status, b.errors.join('; ')).toBe('succeeded');
    const want = expectedCounts(second);
    const total = (c: Record<string, number>) => Object.values(c).reduce((x, y) => x + y, 0);
    expect(b.inserted).toBe(total(want) - total(expectedCounts(first)));
    expect(b.unchanged).toBe(total(expectedCounts(first)));
    expect(await rowsPerStream(db())).toEqual(want);
    expect(b.invalid + b.warning).toBe(0);
  });
});
