import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of PostgreSQL that passes at most `bytesPerSecond`
 * towards the server (replies pass freely): a database slower than the parser, so the
 * benchmark can show that the ingest process's memory stays bounded when the loader
 * falls behind. Backpressure is TCP's own: the proxy pauses reading from the client.
 */
export async function throttledProxy(target: { host: string; port: number }, bytesPerSecond: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    let allowance = bytesPerSecond / 10;
    const refill = setInterval(() => {
      allowance = bytesPerSecond / 10;
      if (client.isPaused()) client.resume();
    }, 100);
    client.on('close', () => clearInterval(refill));
    client.on('data', (chunk: Buffer) => {
      allowance -= chunk.length;
      if (!upstream.write(chunk) || allowance <= 0) {
        client.pause();
        if (allowance > 0) upstream.once('drain', () => client.resume());
      }
    });
    client.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
