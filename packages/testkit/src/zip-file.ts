import { writeFileSync } from 'node:fs';
import yazl from 'yazl';

/** Writes a zip holding `entries` (name → content, deflated), as export archives are, and returns its path. */
export async function writeZip(path: string, entries: Record<string, string | Buffer>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name, { compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}
