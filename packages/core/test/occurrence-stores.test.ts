import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import type { BronzeRow } from '../src/envelope/envelope.js';
import { KeyCounts } from '../src/loader/key-counts.js';
import { OccurrenceNumbering } from '../src/loader/occurrences.js';
import type { Session } from '../src/db/session.js';

/** A file's ids in batches: many distinct, some repeated within and across batches, two streams, some counted. */
function fileBatches(seed: number): BronzeRow[][] {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const batches: BronzeRow[][] = [];
  for (let b = 0; b < 12; b++) {
    const rows: BronzeRow[] = [];
    for (let i = 0; i < 40; i++) {
      const id = next() < 0.3 ? `r${Math.floor(next() * 30)}` : `u${b}-${i}`;
      const row = { stream: next() < 0.5 ? 'a' : 'b', rawId: id, recordHash: '', rawJson: '{}', sourceTimestamp: null, status: 'valid', error: null, metadata: null } as BronzeRow;
      if (next() < 0.1) row.countEvery = true;
      rows.push(row);
    }
    batches.push(rows);
  }
  return batches;
}

async function numberFile(numbering: OccurrenceNumbering, session: Session | undefined, batches: BronzeRow[][]) {
  await numbering.startFile();
  const ids: string[] = [];
  for (const rows of batches) {
    const copy = rows.map((r) => ({ ...r }));
    await numbering.number(session, copy);
    ids.push(...copy.map((r) => `${r.stream}/${r.rawId}`));
  }
  return { ids, repeatedIds: numbering.repeatedIds, repeats: numbering.repeats };
}

describeEachEngine('occurrence numbering: memory, then the temporary table', (db) => {
  it('numbers a file the same whether its ids are counted in memory, in the table, or past the memory limit', async () => {
    await db().withSession(async (s) => {
      for (const seed of [1, 7, 42]) {
        const batches = fileBatches(seed);
        const inMemory = await numberFile(new OccurrenceNumbering('memory'), undefined, batches);
        expect(inMemory.repeats).toBeGreaterThan(50);
        expect(new Set(inMemory.ids).size).toBe(inMemory.ids.length);
        for (const memoryKeys of [0, 1, 25, 130, 10_000]) {
          // The same numbering object for two files: the second starts afresh (its table emptied).
          const numbering = new OccurrenceNumbering('import', memoryKeys);
          await s.transaction(async () => {
            expect(await numberFile(numbering, s, fileBatches(seed + 1)), `limit ${memoryKeys}`).not.toEqual(inMemory);
            expect(await numberFile(numbering, s, batches), `limit ${memoryKeys}`).toEqual(inMemory);
          });
        }
      }
    });
  });

  it('keeps the memory half at its limit: the ids past it go to the temporary table', async () => {
    await db().withSession(async (s) => {
      const numbering = new OccurrenceNumbering('import', 25);
      await s.transaction(async () => {
        await numberFile(numbering, s, fileBatches(3));
        const [{ n }] = await s.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_temp.bronze_occurrence_counts');
        const distinct = new Set(fileBatches(3).flat().map((r) => `${r.stream}\u0000${r.rawId}`)).size;
        expect(n).toBe(distinct - 25);
      });
    });
  });
});

it('KeyCounts: counts what it was given and nothing else, grows, refuses new keys past its limit, clears', () => {
  const hex = (i: number) => i.toString(16).padStart(8, '0').repeat(4);
  const key = (i: number) => hex((i * 2654435761) % 2 ** 32);
  const counts = new KeyCounts(5000);
  for (let i = 1; i <= 5000; i++) expect(counts.add(key(i), i % 3 === 0 ? 2 : 1)).toBe(0);
  expect(counts.size).toBe(5000);
  expect(counts.add(hex(123456789), 1)).toBeUndefined();
  expect(counts.get(hex(123456789))).toBe(0);
  for (let i = 1; i <= 5000; i++) expect(counts.get(key(i))).toBe(i % 3 === 0 ? 2 : 1);
  // A key it holds still counts when full.
  expect(counts.add(key(7), 4)).toBe(1);
  expect(counts.get(key(7))).toBe(5);
  counts.clear();
  expect(counts.size).toBe(0);
  expect(counts.get(key(7))).toBe(0);
  expect(counts.add(key(7), 1)).toBe(0);
  expect(counts.size).toBe(1);
  const zero = '0'.repeat(32);
  const small = new KeyCounts(2);
  expect(small.get(zero)).toBe(0);
  expect(small.add(zero, 1)).toBe(0);
  expect(small.add(zero, 2)).toBe(1);
  expect(small.get(zero)).toBe(3);
  expect(small.add(hex(5), 1)).toBe(0);
  expect(small.add(hex(6), 1)).toBeUndefined();
  small.clear();
  expect(small.get(zero)).toBe(0);
  expect(() => small.add('abc', 1)).toThrow(/not a 128-bit hex key/);
  // Keys alike but for one of the three words a slot holds are counted apart.
  const alike = new KeyCounts(10);
  for (const k of ['aaaaaaaa'.repeat(4), 'aaaaaaaabbbbbbbbaaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaabbbbbbbbaaaaaaaa']) expect(alike.add(k, 1)).toBe(0);
  expect(alike.size).toBe(3);
});
