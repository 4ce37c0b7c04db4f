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

/** GET /health (200 or 503, JSON) and GET /metrics (Prometheus text). Nothing else. */
export async function listen(a: { host: string; port: number; health: () => Promise<HealthReport>; metrics: Metrics; logger: Logger }): Promise<HttpEndpoints> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
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
