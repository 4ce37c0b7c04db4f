/** Most bytes of one API response body bronze reads; BRONZE_HTTP_MAX_BODY_BYTES changes it. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 ** 2;

/** The body passed its limit: not a network problem, so not retried. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number, readonly bytes: number) {
    super(`the response body passed the limit of ${limit} bytes (${bytes} bytes read; BRONZE_HTTP_MAX_BODY_BYTES raises it)`);
  }
}

/**
 * The body as text, read chunk by chunk and given up as soon as it passes maxBytes (an
 * endless or hostile body costs at most the limit in memory). A Content-Length over the
 * limit is refused before a byte is read.
 */
export async function readBodyText(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes, declared);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes, bytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, bytes).toString('utf8');
}
