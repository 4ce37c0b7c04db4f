// Conditional requests (RFC 9110 §13): the validator an answer carries, and the header that asks
// "anything new since?". Pure functions.
import type { HttpRequest } from './types.js';

/** The validator of an answer: its ETag (strong or weak), else its Last-Modified date. */
export function validatorOf(headers: Headers): string | undefined {
  const etag = headers.get('etag')?.trim();
  // An empty tag names no version (GitHub's /notifications sends `ETag: W/""` beside a real
  // Last-Modified): sent back, a server that always answers it would match it for ever.
  const named = etag && !/^(W\/)?""$/.test(etag) ? etag : undefined;
  return named || headers.get('last-modified')?.trim() || undefined;
}

/** An ETag is quoted (`"abc"`, `W/"abc"`); anything else kept as a validator is a Last-Modified date. */
export function isEtag(validator: string): boolean {
  return /^(W\/)?"/.test(validator);
}

/** The header that sends a validator back: If-None-Match for an ETag, If-Modified-Since for a date. */
export function validatorHeaders(validator: string | undefined): Record<string, string> {
  if (!validator) return {};
  return isEtag(validator) ? { 'if-none-match': validator } : { 'if-modified-since': validator };
}

/**
 * What identifies a listing's first request across runs: method, path and query (sorted, as
 * the same parameters in another order are the same request). Headers are not part of it: a
 * stream's requests keep theirs from run to run.
 */
export function requestKey(req: HttpRequest): string {
  const query = Object.entries(req.query ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join('&');
  return `${req.method ?? 'GET'} ${req.path}${query ? `?${query}` : ''}`;
}
