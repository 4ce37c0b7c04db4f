import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { FIXTURES, run, tempDir } from './helpers.js';

const PAGE = 'Takeout/My Activity/Drive/MyActivity.html';
const CELL = '<div class="outer-cell';

interface Row { raw_id: string; raw_data: Record<string, unknown>; validation_status: string; error_message: string | null }

describeOneEngine('google takeout: an activity page cut short', (db) => {
  const rows = () => db().withSession((s) => s.query<Row>(`SELECT raw_id, raw_data, validation_status, error_message FROM bronze_google_takeout WHERE stream = 'my_activity_drive' ORDER BY id`));

  // A page that stopped inside its last entry (a download cut short) was read as a complete
  // entry with the wrong fields (a channel name as its time), stored valid; the whole page
  // imported later then added the real entry beside it.
  it('stores the entry the page ends inside as its HTML, invalid, naming the page', async () => {
    const whole = readFileSync(join(FIXTURES, 'takeout', PAGE), 'utf8');
    const lastCell = whole.lastIndexOf(CELL);
    const brokenAt = whole.indexOf('<br>', whole.indexOf('content-cell', lastCell)) + 4;
    const root = join(tempDir(), 'cut');
    mkdirSync(dirname(join(root, PAGE)), { recursive: true });
    writeFileSync(join(root, PAGE), whole.slice(0, brokenAt));

    const r = await run(db(), [join(root, 'Takeout')]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const cut = await rows();
    expect(cut.length).toBe(whole.split(CELL).length - 1);
    expect(cut.slice(0, -1).every((x) => x.validation_status === 'valid')).toBe(true);
    const last = cut[cut.length - 1];
    expect(last).toMatchObject({ validation_status: 'invalid', raw_id: `html:${PAGE}:3`, raw_data: { path: PAGE, html: whole.slice(lastCell, brokenAt) } });
    expect(last.error_message).toMatch(/MyActivity\.html.*: the page ends inside entry 3, without <\/body>: cut short\?/);

    // The whole page afterwards: the entry is added, valid; the two before it are unchanged.
    writeFileSync(join(root, PAGE), whole);
    const again = await run(db(), [join(root, 'Takeout')]);
    expect(again).toMatchObject({ inserted: 1, unchanged: 2 });
    expect((await rows()).filter((x) => x.validation_status === 'valid').length).toBe(3);
  });
});
