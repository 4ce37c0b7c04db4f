import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { generateExport, type GenerateOptions } from '@bronze/source-apple-health';

/** Writes a synthetic export.xml; returns its size in bytes. */
export async function writeExport(path: string, o: GenerateOptions): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of generateExport(o)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return statSync(path).size;
}
