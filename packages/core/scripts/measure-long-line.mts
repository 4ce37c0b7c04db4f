// Times jsonLines over a .jsonl.gz holding one line of N MB (issue 17 item 13):
//   node_modules/.bin/tsx packages/core/scripts/measure-long-line.mts 40
// Prints lines read, the longest line, seconds and peak RSS. Measured, never asserted.
import { createWriteStream } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { fileReaders, openImportedFile } from '../src/index.ts';

const mb = Number(process.argv[2] ?? 40);
const path = join(await mkdtemp(join(tmpdir(), 'bronze-long-line-')), `line-${mb}.jsonl.gz`);
const piece = 'abcdefghij'.repeat(104_858); // ~1 MiB
function* body() {
  yield '{"id": 1, "s": "';
  for (let i = 0; i < mb; i++) yield piece;
  yield '"}\n{"id": 2}\n';
}
await pipeline(Readable.from(body()), createGzip(), createWriteStream(path));
const st = await stat(path);
const file = await openImportedFile(path, { size: st.size, mtime: st.mtime, sha256: 'measure' });
const t0 = process.hrtime.bigint();
let lines = 0;
let longest = 0;
for await (const l of fileReaders.jsonLines(file)) {
  if (l.error) throw new Error(l.error);
  lines++;
  longest = Math.max(longest, l.text.length);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ mb, lines, longestChars: longest, seconds: +seconds.toFixed(2), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
