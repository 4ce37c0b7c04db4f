import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// PyGithub's ReplayData files (test/fixtures/README.md, "Recorded exchanges"), read as recorded.
const DIR = join(import.meta.dirname, 'fixtures', 'recorded');
const ORIGIN = 'https://api.github.com';
/** Headers about the recorded transfer: the fixture server sends the body itself. */
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'content-encoding', 'status']);

export interface Exchange {
  verb: string;
  /** The recorded path and query, e.g. /repositories/3544490/issues/1136/comments?per_page=3&page=2. */
  path: string;
  status: number;
  headers: [string, string][];
  body: string;
}

/** 11 lines an exchange: protocol, verb, host, port, path, request headers, body, status, response headers, response body, blank. */
export function replayData(file: string): Exchange[] {
  const lines = readFileSync(join(DIR, file), 'utf8').split('\n');
  const out: Exchange[] = [];
  for (let i = 0; i + 9 < lines.length; i += 11) {
    // The headers are a Python list of (name, value) tuples; values quoted '…' or "…".
    const tokens = [...lines[i + 8].matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? m[2]);
    if (tokens.length % 2) throw new Error(`${file}: the headers of exchange ${out.length + 1} are not pairs`);
    const headers = Array.from({ length: tokens.length / 2 }, (_, k) => [tokens[2 * k], tokens[2 * k + 1]] as [string, string]);
    out.push({ verb: lines[i + 1], path: lines[i + 4], status: Number(lines[i + 7]), headers, body: lines[i + 9] });
  }
  return out;
}

export const headerOf = (x: Exchange, name: string) => x.headers.find(([k]) => k.toLowerCase() === name)?.[1];

/** The recorded answer as the fixture server sends it: Link's URLs moved onto `serverUrl`, transfer headers dropped. */
export function answer(x: Exchange, serverUrl: string) {
  const headers: Record<string, string> = {};
  for (const [k, v] of x.headers) {
    const name = k.toLowerCase();
    if (!HOP_BY_HOP.has(name)) headers[name] = name === 'link' ? v.replaceAll(ORIGIN, serverUrl) : v;
  }
  return { status: x.status, headers, text: x.body };
}

/** The recorded path's parts: pathname and query parameters. */
export function recordedRequest(x: Exchange) {
  const url = new URL(x.path, ORIGIN);
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}
