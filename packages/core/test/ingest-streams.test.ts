import { expect, it } from 'vitest';
import { describeEachEngine, tableSnapshot } from '@bronze/testkit';
import { checkpoint, defineSource, ingest, silentLogger, Type } from '../src/index.js';

/** An API-like source over an in-memory list; each run reads what came after its cursor. */
function listSource(name: string, data: { id: number; at: string }[], reads: unknown[]) {
  return defineSource({
    name,
    version: '1',
    description: 'test',
    config: Type.Object({}),
    configure: () => ({}),
    baseUrl: 'http://127.0.0.1:1',
    streams: () => [
      {
        name: 'items',
        schema: Type.Object({ id: Type.Number(), at: Type.String() }),
        id: (r: { id: number }) => String(r.id),
        timestamp: (r: { at: string }) => new Date(r.at),
        async *read({ state }: { state?: { after: number } }) {
          reads.push(state);
          const fresh = data.filter((d) => d.id > (state?.after ?? 0));
          for (const d of fresh) {
            yield d;
            yield checkpoint({ after: d.id });
          }
          // Nothing new: still record that the list was read through its end.
          if (!fresh.length) yield checkpoint({ after: state?.after ?? 0, emptyReadAt: 'end' });
        },
      },
    ],
  });
}

describeEachEngine('API stream cursors', (db) => {
  it('resumes from the committed cursor; a read with nothing new adds 0 rows', async () => {
    const data = [1, 2, 3].map((id) => ({ id, at: `2024-0${id}-01T00:00:00Z` }));
    const reads: unknown[] = [];
    const src = listSource('cursor_a', data, reads);
    const first = await ingest(db(), src, { logger: silentLogger() });
    expect(first).toMatchObject({ inserted: 3, status: 'succeeded' });
    data.push({ id: 4, at: '2024-04-01T00:00:00Z' });
    expect(await ingest(db(), src, { logger: silentLogger() })).toMatchObject({ seen: 1, inserted: 1 });
    expect(await ingest(db(), src, { logger: silentLogger() })).toMatchObject({ seen: 0, inserted: 0 });
    expect(reads).toEqual([undefined, { after: 3 }, { after: 4 }]);
    expect(await ingest(db(), src, { logger: silentLogger(), fullRefresh: true })).toMatchObject({ seen: 4, inserted: 0, unchanged: 4 });
    expect((await tableSnapshot(db(), 'cursor_a')).length).toBe(4);
  });

  it('a checkpoint saves the cursor of a read that found nothing', async () => {
    const reads: unknown[] = [];
    const src = listSource('cursor_b', [], reads);
    expect(await ingest(db(), src, { logger: silentLogger() })).toMatchObject({ seen: 0, inserted: 0, status: 'succeeded' });
    await ingest(db(), src, { logger: silentLogger() });
    expect(reads).toEqual([undefined, { after: 0, emptyReadAt: 'end' }]);
  });
});
