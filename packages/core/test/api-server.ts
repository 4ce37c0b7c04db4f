import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

/**
 * A real HTTP server on 127.0.0.1 that answers from a function of the request, so that a
 * listing honours its query (after=, since=, start_date=…) the way the real APIs do, over
 * data the test changes between runs. Every request is logged.
 */
export async function startApiServer(answer: (url: URL, method: string, headers: Record<string, string | string[] | undefined>) => ApiAnswer | Promise<ApiAnswer>) {
  const requests: { method: string; path: string; query: Record<string, string>; authorization?: string }[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization });
      try {
        const a = await answer(url, req.method ?? 'GET', req.headers);
        res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers }).end(JSON.stringify(a.body));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
