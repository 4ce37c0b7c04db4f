import { createGunzip } from 'node:zlib';

export interface Inflated {
  /** What was inflated: the whole file, or the part before the damage. */
  bytes: Buffer;
  /** Why inflating stopped early (zlib's reason), with `at` the compressed byte it had reached. */
  error?: string;
  at?: number;
  /** More than `limit` bytes: inflating stopped there (`bytes` is empty). */
  overLimit?: boolean;
}

/**
 * Gunzips a whole gzip file, keeping what inflated before any damage: a corrupted or cut
 * `.fit.gz` still gives the FIT bytes before the damage, and the compressed offset where
 * zlib gave up is reported with it.
 */
export function gunzipPartial(input: Buffer, limit: number): Promise<Inflated> {
  return new Promise((resolve) => {
    const gz = createGunzip();
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: Inflated) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    gz.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        gz.destroy();
        finish({ bytes: Buffer.alloc(0), overLimit: true });
      }
    });
    gz.on('error', (err) => finish({ bytes: Buffer.concat(chunks), error: err.message, at: Math.min(gz.bytesWritten, input.length) }));
    gz.on('end', () => finish({ bytes: Buffer.concat(chunks) }));
    gz.end(input);
  });
}
