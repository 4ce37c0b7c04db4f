/**
 * UTF-16 text without a byte-order mark. Excel's "Unicode Text" starts with one, but files
 * cut from it, or written by other tools, may not; then every ASCII character is a NUL byte
 * plus its code, and the binary check (a NUL byte in the head) refused the file, even
 * under `--encoding utf-16le`. Told apart from binary data by its shape: most 2-byte units
 * are one ASCII-range byte and one NUL on the same side, and no unit is NUL-NUL (U+0000 is
 * no text). The decoding itself is strict, so a misjudged file still fails, never garbles.
 */
import { encodingName, readStreamHead, type ImportedFile } from '@bronze/core';

/** Bytes looked at: enough units to judge, a few lines of any export. */
const HEAD_BYTES = 4096;

export function unmarkedUtf16(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  const units = Math.floor(Math.min(head.length, HEAD_BYTES) / 2);
  if (units < 2) return undefined;
  let le = 0;
  let be = 0;
  for (let i = 0; i < units; i++) {
    const first = head[2 * i];
    const second = head[2 * i + 1];
    if (first === 0 && second === 0) return undefined;
    if (second === 0) le++;
    else if (first === 0) be++;
  }
  // Most units ASCII in one byte order; CJK text can put a NUL on the other side now and then.
  if (le * 2 > units && le > 4 * be) return 'utf-16le';
  if (be * 2 > units && be > 4 * le) return 'utf-16be';
  return undefined;
}

/** Whether the run's `--encoding` names a 16-bit encoding, whose text holds NUL bytes. */
export const isUtf16 = (encoding: string | undefined) => encoding !== undefined && encodingName(encoding).startsWith('utf-16');

export const headOf = (file: ImportedFile): Promise<Buffer> => readStreamHead(file.open(), HEAD_BYTES);
