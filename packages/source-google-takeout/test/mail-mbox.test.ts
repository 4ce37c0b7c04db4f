import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { isEmitted, type Emitted } from '@bronze/core';
import { describeEachEngine } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import source, { partOf } from '../src/index.js';
import { MAX_MESSAGE_BYTES, readMbox, type MailRecord } from '../src/parts/mbox.js';
import { rowsPerStream, run, tempDir, writeZip } from './helpers.js';

/**
 * Gmail's export, `Takeout/Mail/<label or All mail Including Spam and Trash>.mbox`: each message
 * after a line `From <Gmail's message id>@xxx <weekday> <month> <day> <time> <offset> <year>`
 * (the form of real exports quoted in public mbox tools' docs and tests; no public export with
 * a license was found, so the messages here are made up in that layout).
 */
const sep = (id: string, date: string) => `From ${id}@xxx ${date}`;
const message = (subject: string, body: string, eol = '\n') =>
  [`X-GM-THRID: 1773664142827023060`, 'X-Gmail-Labels: Inbox,Category updates,Unread', `Subject: ${subject}`, 'Content-Type: text/plain; charset="UTF-8"', '', body, '', ''].join(eol);

const MBOX = [
  sep('1773664405479613283', 'Tue Aug 08 12:36:29 +0000 2023'),
  message('Your Google Account was recovered successfully', 'Welcome back.'),
  sep('1773664142827023060', 'Sun Jan 01 00:30:00 -0800 2023'),
  // Body lines that start with "From " are body: only Gmail's separator starts a message.
  message('Forwarded', 'From me, too.\nFrom alice@example.com Mon Jan  1 09:00:00 2024\nFrom 12@xxx not a date\n>From escaped stays escaped'),
  sep('1700000000000000001', 'Wed Nov 01 09:05:07 +0530 2023'),
  message('Grüße, 東京', 'Ünïcödé body ✓'),
].join('\n');

const fileOf = (path: string, bytes: Buffer, chunk: number) => ({
  path,
  label: path,
  open: () => Readable.from((function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  })()),
});

async function rowsOf(bytes: Buffer, chunk = 1 << 16, path = 'Takeout/Mail/All mail Including Spam and Trash.mbox') {
  const out: Emitted<MailRecord>[] = [];
  for await (const e of readMbox(fileOf(path, bytes, chunk))) {
    expect(isEmitted(e)).toBe(true);
    out.push(e as Emitted<MailRecord>);
  }
  return out;
}

/** The separators, counted with a plain regular expression over the text (not the reader). */
const separators = (text: string) => text.split('\n').filter((l) => /^From \d+@xxx \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d [+-]\d{4} \d{4}$/.test(l)).length;

/** What the rows give back: separator + \n + message each, joined. */
const rejoin = (rows: Emitted<MailRecord>[]) =>
  Buffer.concat(rows.map(({ record: r }) => Buffer.concat([Buffer.from(r.separator === null ? '' : `${r.separator}\n`, 'latin1'), r.message_base64 !== undefined ? Buffer.from(r.message_base64, 'base64') : Buffer.from(r.message ?? '')])));

describe('a Gmail mbox', () => {
  it('is the mail stream', () => {
    expect(partOf('Takeout/Mail/All mail Including Spam and Trash.mbox')).toEqual({ kind: 'mbox' });
    expect(partOf('Takeout/Mail/Inbox.mbox')).toEqual({ kind: 'mbox' });
    expect(partOf('Takeout/Mail/User Settings/Labels.json').kind).toBe('other');
  });

  it('one row per message, every byte kept, whatever the chunks', async () => {
    const bytes = Buffer.from(MBOX);
    expect(separators(MBOX)).toBe(3);
    for (const chunk of [1, 3, 7, 64, 1 << 16]) {
      const rows = await rowsOf(bytes, chunk);
      expect(rows.map((r) => r.record.separator), `chunks of ${chunk}`).toEqual([
        'From 1773664405479613283@xxx Tue Aug 08 12:36:29 +0000 2023',
        'From 1773664142827023060@xxx Sun Jan 01 00:30:00 -0800 2023',
        'From 1700000000000000001@xxx Wed Nov 01 09:05:07 +0530 2023',
      ]);
      expect(rows.every((r) => r.meta.stream === 'mail' && !r.meta.invalid)).toBe(true);
      expect(rejoin(rows).equals(bytes), `chunks of ${chunk}`).toBe(true);
    }
    const [, second, third] = await rowsOf(bytes);
    expect(second.record.message).toContain('From me, too.\nFrom alice@example.com Mon Jan  1 09:00:00 2024\nFrom 12@xxx not a date\n>From escaped');
    expect(third.record.message).toContain('Ünïcödé body ✓');
  });

  it('CRLF lines, a body not in UTF-8, bytes before the first separator, a line longer than any separator', async () => {
    const long = 'x'.repeat(5000);
    const bytes = Buffer.concat([
      Buffer.from('some text a tool left here\n'),
      Buffer.from(`${sep('1', 'Mon Jan 02 03:04:05 +0000 2017')}\r\n${message('crlf', `a line of ${long} without end`, '\r\n')}`),
      Buffer.from(`${sep('2', 'Fri Feb 03 04:05:06 +0100 2017')}\n`),
      Buffer.from('Subject: latin-1\n\nGr\xfc\xdfe\n\n', 'latin1'),
    ]);
    for (const chunk of [5, 100, 1 << 16]) {
      const rows = await rowsOf(bytes, chunk);
      expect(rows).toHaveLength(3);
      expect(rows[0].record.separator).toBeNull();
      expect(rows[0].meta.invalid).toMatch(/bytes before the first message's separator line/);
      expect(rows[1].record.separator).toBe('From 1@xxx Mon Jan 02 03:04:05 +0000 2017\r');
      expect(rows[1].record.message).toContain(long);
      expect(rows[2].record.message).toBeUndefined();
      expect(Buffer.from(rows[2].record.message_base64!, 'base64').toString('latin1')).toBe('Subject: latin-1\n\nGr\xfc\xdfe\n\n');
      expect(rejoin(rows).equals(bytes), `chunks of ${chunk}`).toBe(true);
    }
  });

  it('a file that ends without a newline, even on a separator line, gives its bytes back', async () => {
    for (const tail of ['last line', sep('9', 'Mon Jan 02 03:04:05 +0000 2017')]) {
      const bytes = Buffer.from(`${sep('1', 'Mon Jan 02 03:04:04 +0000 2017')}\nSubject: a\n\nbody\n${tail}`);
      for (const chunk of [1, 4, 1 << 16]) {
        const rows = await rowsOf(bytes, chunk);
        expect(rows.map((r) => r.record.separator)).toEqual(['From 1@xxx Mon Jan 02 03:04:04 +0000 2017']);
        expect(rejoin(rows).equals(bytes), `${tail}, chunks of ${chunk}`).toBe(true);
      }
    }
  });

  it('a message over the limit keeps its size and sha256, and the next message is read', async () => {
    const big = Buffer.alloc(MAX_MESSAGE_BYTES + 10, 0x61);
    const bytes = Buffer.concat([Buffer.from(`${sep('7', 'Mon Jan 02 03:04:05 +0000 2017')}\n`), big, Buffer.from(`\n${sep('8', 'Mon Jan 02 03:04:06 +0000 2017')}\nSubject: after\n\n`)]);
    const rows = await rowsOf(bytes);
    expect(rows).toHaveLength(2);
    const { createHash } = await import('node:crypto');
    expect(rows[0].record).toEqual({
      path: 'Takeout/Mail/All mail Including Spam and Trash.mbox',
      separator: 'From 7@xxx Mon Jan 02 03:04:05 +0000 2017',
      size: big.length + 1,
      sha256: createHash('sha256').update(big).update('\n').digest('hex'),
    });
    expect(rows[0].meta.invalid).toMatch(/over the 32 MiB bronze keeps per message/);
    expect(rows[1].record.message).toBe('Subject: after\n\n');
  });

  it('raw_id: the file and Gmail\'s id; source_timestamp: the separator\'s date', () => {
    const mail = source.streams({}).find((s) => s.name === 'mail')!;
    const r = { path: 'Takeout/Mail/Inbox.mbox', separator: 'From 1773664405479613283@xxx Tue Aug 08 12:36:29 +0000 2023', message: '' };
    expect(mail.id(r)).toBe('Inbox.mbox|1773664405479613283');
    expect(mail.id({ ...r, separator: null })).toBe('preamble:Inbox.mbox');
    const at = (separator: string) => (mail.timestamp!({ ...r, separator }) as Date).toISOString();
    expect(at('From 1@xxx Tue Aug 08 12:36:29 +0000 2023')).toBe(new Date(Date.parse('Tue Aug 08 2023 12:36:29 GMT+0000')).toISOString());
    expect(at('From 1@xxx Sun Jan 01 00:30:00 -0800 2023')).toBe(new Date(Date.parse('Sun Jan 01 2023 00:30:00 GMT-0800')).toISOString());
    expect(at('From 1@xxx Wed Nov 01 09:05:07 +0530 2023')).toBe(new Date(Date.parse('Wed Nov 01 2023 09:05:07 GMT+0530')).toISOString());
  });
});

describeEachEngine('google takeout: Mail/*.mbox', (db) => {
  it('rows = messages in the mail stream, each with its timestamp; a re-import and the zip add nothing', async () => {
    const dir = tempDir();
    const tree = { 'Takeout/Mail/All mail Including Spam and Trash.mbox': Buffer.from(MBOX) };
    for (const [path, bytes] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const first = await run(db(), [join(dir, 'Takeout')]);
    expect(first.status, first.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual({ mail: separators(MBOX) });
    const rows = await db().withSession((s) =>
      s.query<{ raw_id: string; ts: string; status: string }>(
        `SELECT raw_id, to_char(source_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS ts, validation_status AS status FROM bronze_google_takeout ORDER BY raw_id`,
      ),
    );
    expect(rows).toEqual([
      { raw_id: 'All mail Including Spam and Trash.mbox|1700000000000000001', ts: '2023-11-01T03:35:07', status: 'valid' },
      { raw_id: 'All mail Including Spam and Trash.mbox|1773664142827023060', ts: '2023-01-01T08:30:00', status: 'valid' },
      { raw_id: 'All mail Including Spam and Trash.mbox|1773664405479613283', ts: '2023-08-08T12:36:29', status: 'valid' },
    ]);
    const again = await run(db(), [join(dir, 'Takeout')], { force: true });
    expect(again.inserted).toBe(0);
    const zip = await run(db(), [await writeZip(join(dir, 'takeout-20231101T000000Z-001.zip'), tree)]);
    expect(zip.status, zip.errors.join('; ')).toBe('succeeded');
    expect(zip.inserted).toBe(0);
    expect(await rowsPerStream(db())).toEqual({ mail: 3 });
  });
});
