import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { partOf } from '../src/index.js';
import { rowsPerStream, run, TAKEOUT_DIR, tempDir, writeZip } from './helpers.js';

/**
 * Google Pay writes its activity in its own folder: `Takeout/Google Pay/My Activity/My Activity.html`
 * (a real 2022 export, fixtures/README.md "Real exports read, not copied": 254 entries, the My
 * Activity layout). The real page of this repository's fixtures (MIT, `My Activity/Drive/MyActivity.html`)
 * stands in for it, placed at that path; its entries are counted in its text, not with bronze's parser.
 */
const PAGE = readFileSync(join(TAKEOUT_DIR, 'Takeout/My Activity/Drive/MyActivity.html'));
const ENTRIES = PAGE.toString('utf8').split('class="outer-cell').length - 1;

it('a product folder`s own My Activity is that product`s activity; a Drive folder of that name stays the user`s file', () => {
  expect(partOf('Takeout/Google Pay/My Activity/My Activity.html')).toEqual({ kind: 'activity', stream: 'my_activity_google_pay', html: true });
  expect(partOf('Takeout/Google Pay/My Activity/MyActivity.json')).toEqual({ kind: 'activity', stream: 'my_activity_google_pay', html: false });
  expect(partOf('Takeout/Drive/My Activity/My Activity.html')).toEqual({ kind: 'other' });
  expect(partOf('Takeout/Google Pay/Rewards earned/Voucher rewards.json')).toEqual({ kind: 'other' });
});

describeEachEngine('google takeout: Google Pay/My Activity/My Activity.html', (db) => {
  it('rows = entries of the page in my_activity_google_pay, none in other; the zip gives the same rows', async () => {
    expect(ENTRIES).toBe(3);
    const dir = tempDir();
    const tree = { 'Takeout/Google Pay/My Activity/My Activity.html': PAGE };
    for (const [path, bytes] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const folder = await run(db(), [join(dir, 'Takeout')]);
    expect(folder.status, folder.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual({ my_activity_google_pay: ENTRIES });

    const zip = await run(db(), [await writeZip(join(dir, 'takeout-20220614T000000Z-001.zip'), tree)]);
    expect(zip.status, zip.errors.join('; ')).toBe('succeeded');
    expect(zip.inserted).toBe(0);
    expect(await rowsPerStream(db())).toEqual({ my_activity_google_pay: ENTRIES });
  });
});
