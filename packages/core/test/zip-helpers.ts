import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';

export interface ZipEntrySpec {
  name: string;
  text: string;
  /** Sizes and CRC-32 in a data descriptor after the data, as a streaming writer leaves them. */
  streamed?: boolean;
  /** Stored, not deflated. */
  store?: boolean;
}

/** Writes a zip of these entries to `dir/name` and returns its path. */
export async function writeZip(dir: string, name: string, entries: ZipEntrySpec[]): Promise<string> {
  const z = new yazl.ZipFile();
  for (const e of entries) {
    if (e.streamed) z.addReadStream(Readable.from([Buffer.from(e.text)]), e.name, { compress: !e.store });
    else z.addBuffer(Buffer.from(e.text), e.name, { compress: !e.store });
  }
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}
