import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { fixture, run, tempDir } from './helpers/export-zip.js';

interface Row { stream: string; raw_id: string; version: number; raw_data: Record<string, any>; validation_status: string; error_message: string | null }

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Writes `bytes` as `<dir>/<sub>/<name>`: files of the same name from different places. */
function place(dir: string, sub: string, name: string, bytes: Buffer): string {
  mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, sub, name), bytes);
  return join(dir, sub, name);
}

describeOneEngine('Strava: lone activity files of the same name are told apart by their content', (db) => {
  const rows = (where: string) => db().withSession((s) => s.query<Row>(`SELECT stream, raw_id, version, raw_data, validation_status, error_message FROM bronze_strava WHERE ${where} ORDER BY stream, raw_id`));

  it('three different Activity.fit files are three records; the same file again (gzipped, --force) adds nothing', async () => {
    const dir = tempDir();
    const garth = fixture('garth_12129115726_ACTIVITY.fit');
    const athlytics = fixture('athlytics_example.fit');
    const damaged = fixture('fitparse_strava-android-app-201.10-b1218918.fit');
    const files = [place(dir, 'a', 'Activity.fit', garth), place(dir, 'b', 'Activity.fit', athlytics), place(dir, 'c', 'Activity.fit', damaged)];
    for (const f of files) expect((await run(db(), [f])).status).toBe('succeeded');

    const fileRows = await rows(`stream = 'fit_files'`);
    const ids = [garth, athlytics, damaged].map((b) => `file:Activity.fit#sha256:${sha256(b)}`).sort();
    expect(fileRows.map((r) => [r.raw_id, r.version])).toEqual(ids.map((id) => [id, 1]));
    // Every fit_messages row hangs under its own file's id, never under another file's.
    const messages = await rows(`stream = 'fit_messages'`);
    expect(messages.every((m) => m.version === 1)).toBe(true);
    for (const m of messages) {
      const file = fileRows.find((f) => m.raw_id.startsWith(`${f.raw_id}:`))!;
      expect(m.raw_data.fileSha256).toBe(file.raw_data.sha256);
    }

    const before = (await rows('true')).length;
    const gz = place(dir, 'd', 'Activity.fit.gz', gzipSync(garth));
    expect((await run(db(), [gz])).status).toBe('succeeded');
    expect((await run(db(), [files[0]], { force: true })).status).toBe('succeeded');
    expect((await rows('true')).length).toBe(before);
  });

  it('a lone FIT file damaged in the middle keeps its bytes: the file is rebuilt from the database', async () => {
    const damaged = fixture('fitparse_strava-android-app-201.10-b1218918.fit');
    const path = place(tempDir(), 'x', 'Activity.fit', damaged);
    expect((await run(db(), [path])).status).toBe('succeeded');
    const [row] = await rows(`stream = 'fit_files' AND raw_id = 'file:Activity.fit#sha256:${sha256(damaged)}'`);
    expect(row.validation_status).toBe('invalid');
    expect(row.error_message).toContain('undecodable data at byte 7472 of 78233 (section 0, after 488 messages; the record it could not read starts at byte 7471)');
    const rebuilt = Buffer.from(row.raw_data.damage.fileBase64, 'base64');
    expect(rebuilt.equals(damaged)).toBe(true);
    expect(row.raw_data.damage.record).toBe(7471);
  });
});
