import { expect, it } from 'vitest';
import { describeEachEngine, type TestDatabase } from '@bronze/testkit';
import { defineSource, ingest, listRuns, migrate, registerSecret, silentLogger, Type, type Source } from '../src/index.js';
import { finishRun, startRun } from '../src/store/runs.js';

// Registered like a token read from .env: notes must never carry it into bronze_runs.
const TOKEN = 'tok_RunNotes_8f3kq2secret';
registerSecret(TOKEN);

/** A source whose one stream notes things as it reads, then ends as `end` says. */
function notingSource(end: 'done' | 'throw' | 'abort', abort?: AbortController): Source {
  return defineSource({
    name: 'noting',
    version: '1',
    description: 'run notes test',
    config: Type.Object({}),
    configure: () => ({}),
    streams: () => [
      {
        name: 'items',
        schema: Type.Object({ id: Type.Integer() }),
        id: (r: { id: number }) => r.id,
        async *read(_args, ctx) {
          ctx.note?.('items: 1 of ~3 pages read', 'progress');
          yield { id: 1 };
          ctx.note?.('items: 2 of ~3 pages read', 'progress'); // replaces the tally above
          ctx.note?.(`items: the API said 'invalid token ${TOKEN}' for page 3; Authorization: Bearer ${TOKEN}`);
          yield { id: 2 };
          if (end === 'abort') abort!.abort();
          if (end === 'throw') throw new Error('page 3: connection reset');
        },
      },
    ],
  });
}

const storedNotes = async (db: TestDatabase, runId: string) =>
  (await db.withSession((s) => s.query<{ notes: string[] }>('SELECT notes FROM bronze_runs WHERE id = $1', [runId])))[0].notes;

describeEachEngine('run notes are stored in bronze_runs', (db) => {
  it('a succeeded run keeps its notes, the tally at its last value, secrets redacted as in logs', async () => {
    const r = await ingest(db(), notingSource('done'), { logger: silentLogger() });
    expect(r.status).toBe('succeeded');
    const expected = ['items: 2 of ~3 pages read', "items: the API said 'invalid token [REDACTED]' for page 3; Authorization: Bearer [REDACTED]"];
    expect(r.notes).toEqual(expected); // the summary line's notes
    expect(await storedNotes(db(), r.runId!)).toEqual(expected);
    const [listed] = await listRuns(db(), { source: 'noting', limit: 1 });
    expect(listed).toMatchObject({ id: r.runId, status: 'succeeded', notes: expected });
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
  });

  it('a failed run and an interrupted run keep the notes written before they ended', async () => {
    await expect(ingest(db(), notingSource('throw'), { logger: silentLogger() })).rejects.toThrow(/connection reset/);
    const [failed] = await listRuns(db(), { source: 'noting', limit: 1 });
    expect(failed.status).toBe('failed');
    expect(failed.notes).toHaveLength(2);
    expect(failed.notes[0]).toBe('items: 2 of ~3 pages read');

    const abort = new AbortController();
    const interrupted = await ingest(db(), notingSource('abort', abort), { logger: silentLogger(), signal: abort.signal });
    expect(interrupted.status).toBe('failed');
    expect(await storedNotes(db(), interrupted.runId!)).toEqual(interrupted.notes);
    expect(interrupted.notes).toHaveLength(2);
  });

  it('finishRun redacts what it stores, whoever collected the notes', async () => {
    await db().withSession(async (s) => {
      const runId = await startRun(s, { source: 'noting_store', streams: [], parametersJson: '{}', pipelineVersion: 'test', environment: 'test' });
      await finishRun(s, runId, {
        status: 'succeeded', files: { imported: 0, skipped: 0, failed: 0 },
        notes: [`GET https://api.example/x?access_token=${TOKEN}`, 'postgres://me:hunter22@db/x is the database'],
      });
      const [row] = await s.query<{ notes: string[] }>('SELECT notes FROM bronze_runs WHERE id = $1', [runId]);
      expect(row.notes).toEqual(['GET https://api.example/x?access_token=[REDACTED]', 'postgres://me:***@db/x is the database']);
    });
  });

  it('008_run_notes applies to a database of the previous schema: its runs get no notes', async () => {
    await db().withSession(async (s) => {
      // Back to the schema 001–007 made (what 0.1 and every release before this one left).
      await s.exec(`ALTER TABLE bronze_runs DROP COLUMN notes; DELETE FROM bronze_migrations WHERE name = '008_run_notes.sql'`);
      await s.query(`INSERT INTO bronze_runs (source, status, finished_at, error) VALUES ('noting_old', 'succeeded', now(), NULL), ('noting_old', 'failed', now(), 'boom')`);
      const result = await migrate(s);
      expect(result.applied).toEqual(['008_run_notes.sql']);
      expect((await migrate(s)).applied).toEqual([]);
    });
    const old = await listRuns(db(), { source: 'noting_old', limit: 5 });
    expect(old.map((r) => r.notes)).toEqual([[], []]);
    // and the new column takes notes again
    const r = await ingest(db(), notingSource('done'), { logger: silentLogger() });
    expect(await storedNotes(db(), r.runId!)).toHaveLength(2);
  });
});
