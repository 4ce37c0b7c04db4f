import { chmod, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';

/** A token file as read: one file's text, or a folder of JSON files (garth's layout) by name. */
export type TokenFileContent = { kind: 'file'; text: string } | { kind: 'dir'; files: Record<string, string> };

/** Reads a token file or folder; undefined when it does not exist. */
export async function readTokenFile(path: string): Promise<TokenFileContent | undefined> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new ConfigError(`${path}: cannot read the token file (${err.code})`);
  });
  if (!st) return undefined;
  try {
    if (!st.isDirectory()) return { kind: 'file', text: await readFile(path, 'utf8') };
    const files: Record<string, string> = {};
    for (const name of (await readdir(path)).filter((n) => n.endsWith('.json')).sort()) files[name] = await readFile(join(path, name), 'utf8');
    return { kind: 'dir', files };
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the token file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Write beside, then rename: a crash never leaves a half-written token file. Mode 0600. */
async function writePrivate(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** Persists tokens atomically, readable by the owner only; a folder is written file by file. */
export async function writeTokenFile(path: string, content: TokenFileContent): Promise<void> {
  if (content.kind === 'file') return writePrivate(path, content.text);
  for (const [name, text] of Object.entries(content.files)) await writePrivate(join(path, name), text);
}
