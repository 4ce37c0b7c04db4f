import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage, redact, type Logger } from '@bronze/core';
import type { HealthReport } from './health.js';
import type { Metrics } from './metrics.js';

export interface HttpEndpoints {
  server: Server;
  address: AddressInfo;
  /** http://host:port, for logs and tests. */
  url: string;
  close(): Promise<void>;
}

function pathOf(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** GET /health (200 or 503, JSON) and GET /metrics (Prometheus text). Nothing else. */
export async function listen(a: { host: string; port: number; health: () => Promise<HealthReport>; metrics: Metrics; logger: Logger }): Promise<HttpEndpoints> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const path = pathOf(req.url);
    // A request line Node accepts but URL cannot parse (`GET http://[ HTTP/1.1`) is the client's fault.
    if (path === undefined) return send(400, 'text/plain; charset=utf-8', 'bad request: malformed URL\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain; charset=utf-8', 'only GET\n');
    const answer = async () => {
      if (path === '/health') {
        const report = await a.health();
        // Secrets are scrubbed once more at the door, whatever a message picked up on its way.
        return send(report.status === 'ok' ? 200 : 503, 'application/json; charset=utf-8', redact(`${JSON.stringify(report, null, 2)}\n`));
      }
      if (path === '/metrics') return send(200, a.metrics.registry.contentType, redact(await a.metrics.registry.metrics()));
      return send(404, 'text/plain; charset=utf-8', 'not found: try /health or /metrics\n');
    };
    answer().catch((err) => {
      a.logger.error(`serving ${path}: ${errorMessage(err)}`);
      if (!res.headersSent) send(500, 'text/plain; charset=utf-8', 'internal error\n');
    });
  });
  // Garbage that Node's parser refuses never reaches the handler: answer 400 and close.
  server.on('clientError', (_err, socket) => {
    if (socket.writable && !socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(a.port, a.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    address,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
