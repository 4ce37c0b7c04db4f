import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { matches, parsedBody } from './fixture-match.js';

/** A query value: exact text, '*' for any value, or a regular expression. */
export type QueryMatcher = string | RegExp | { regex: string };

export interface FixtureRequest {
  method?: string;
  /** Exact path, e.g. /api/v9/me/time_entries. */
  path: string;
  /** Parameters that must be present and match. Others make the request unmatched unless anyQuery. */
  query?: Record<string, QueryMatcher>;
  anyQuery?: boolean;
  /** Request headers that must be present and match (lower-case names), e.g. `if-none-match` for a 304. */
  headers?: Record<string, QueryMatcher>;
  /**
   * Top-level fields of a JSON request body that must be present and match, as text (`2`, `true`,
   * `"2024-01-01"` → `2024-01-01`); '*' for any value, `absent` for a field that must not be sent.
   */
  body?: Record<string, QueryMatcher | { absent: true }>;
}

/** Injected faults: a reset connection, a body cut short, a response slower than the client waits, bad JSON, a body that never ends. */
export type Fault = 'reset' | 'truncate' | 'slow' | 'malformed-json' | 'endless';

export interface Fixture {
  /** Shown in failures and the request log. */
  name?: string;
  request: FixtureRequest;
  /** `text`: the body sent verbatim (number literals such as 1.10 or 1e400 that a JS value cannot hold). */
  response?: { status?: number; headers?: Record<string, string>; body?: unknown; bodyFile?: string; text?: string };
  fault?: Fault;
  /** For 'slow': how long to hold the response (default 2 s). */
  delayMs?: number;
  /** How many requests this fixture answers (default 1); 'always' never runs out and is never "unused". */
  times?: number | 'always';
}

export interface Scenario {
  fixtures: Fixture[];
  /** The Authorization header every request must carry; others get Toggl-style 401s. */
  expectAuthorization?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The fixture that answered: its name, 'unauthorized' or 'unmatched'. */
  answeredBy: string;
  status: number;
  /** The request's headers but Authorization (a secret). */
  headers: Record<string, string>;
  /** The request's body: parsed JSON, else its text; undefined when empty. */
  body?: unknown;
}

export interface FixtureServer {
  url: string;
  requests: LoggedRequest[];
  /** Replaces the scenario and clears the request log (e.g. before each run). */
  load(scenario: Scenario): void;
  /** Fails when a request matched no fixture or a fixture was never used. */
  verify(): void;
  close(): Promise<void>;
}

/** Reads a scenario file (JSON); bodyFile paths are relative to the scenario file. */
export function loadScenario(path: string, patch?: (s: Scenario) => Scenario): Scenario {
  const scenario = JSON.parse(readFileSync(path, 'utf8')) as Scenario;
  for (const f of scenario.fixtures) {
    if (f.response?.bodyFile) f.response = { ...f.response, body: JSON.parse(readFileSync(resolve(dirname(path), f.response.bodyFile), 'utf8')), bodyFile: undefined };
  }
  return patch ? patch(scenario) : scenario;
}

const fixtureName = (f: Fixture, i: number) => f.name ?? `#${i} ${f.request.method ?? 'GET'} ${f.request.path}`;

/**
 * A real HTTP server on 127.0.0.1, port 0, that answers from a scenario: the first fixture
 * whose matcher fits and which has uses left answers. Faults are real: the socket is
 * destroyed, the body is cut short, the answer comes late.
 */
export async function startFixtureServer(initial: Scenario = { fixtures: [] }): Promise<FixtureServer> {
  let scenario = initial;
  let uses: number[] = [];
  const requests: LoggedRequest[] = [];
  const unmatched: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const reset = (s: Scenario) => {
    scenario = s;
    uses = s.fixtures.map(() => 0);
    requests.length = 0;
    unmatched.length = 0;
  };
  reset(initial);

  const handle = (req: IncomingMessage, res: ServerResponse, bodyText: string) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = parsedBody(bodyText);
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const sent = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => k !== 'authorization' && typeof v === 'string')) as Record<string, string>;
    const log = (answeredBy: string, status: number) => requests.push({ method, path: url.pathname, query, answeredBy, status, headers: sent, ...(body === undefined ? {} : { body }) });
    if (scenario.expectAuthorization !== undefined && req.headers.authorization !== scenario.expectAuthorization) {
      log('unauthorized', 401);
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('Incorrect username and/or password');
      return;
    }
    const index = scenario.fixtures.findIndex((f, i) => {
      const limit = f.times ?? 1;
      return (limit === 'always' || uses[i] < limit) && matches(f.request, method, url.pathname, query, sent, body);
    });
    if (index < 0) {
      unmatched.push(`${method} ${url.pathname}${url.search}`);
      log('unmatched', 404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`fixture server: no fixture matches ${method} ${url.pathname}${url.search}`);
      return;
    }
    uses[index]++;
    const f = scenario.fixtures[index];
    const status = f.response?.status ?? 200;
    const text = f.fault === 'malformed-json' ? '[{"id": 1, "description": "cut' : (f.response?.text ?? JSON.stringify(f.response?.body ?? null));
    const headers = { 'content-type': 'application/json; charset=utf-8', ...f.response?.headers };
    log(fixtureName(f, index), status);
    switch (f.fault) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'truncate':
        res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => req.socket.destroy());
        return;
      case 'slow': {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) res.writeHead(status, headers).end(text);
        }, f.delayMs ?? 2000);
        timers.add(t);
        return;
      }
      case 'endless': {
        // `[` then records for ever (chunked, no length), as long as the client reads.
        const chunk = Buffer.from(`${JSON.stringify({ id: 1, padding: 'x'.repeat(60_000) })},`.repeat(16));
        res.writeHead(status, headers);
        res.write('[');
        const more = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', more);
        };
        more();
        return;
      }
      default:
        res.writeHead(status, headers).end(text);
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  // The server never closes an idle keep-alive socket (only close() does): an idle timeout
  // racing a client's reuse of the socket would inject resets nobody asked for.
  server.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    load: reset,
    verify() {
      const problems: string[] = [];
      if (unmatched.length) problems.push(`requests that matched no fixture: ${unmatched.join(', ')}`);
      scenario.fixtures.forEach((f, i) => {
        if (f.times !== 'always' && uses[i] < (f.times ?? 1)) problems.push(`fixture ${fixtureName(f, i)} was used ${uses[i]} of ${f.times ?? 1} times`);
      });
      if (problems.length) throw new Error(`fixture server: ${problems.join('; ')}`);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
