import { createServerDatabase, dropServerDatabase } from '@bronze/core';
import { runIngest, type ChildIngest } from './run-ingest.js';
import { throttledProxy } from './throttled-proxy.js';

/**
 * The end-to-end ingest once more, into a fresh database reached through a proxy that
 * passes `bytesPerSecond` towards PostgreSQL: the parser outruns the database, and the
 * process's peak RSS shows whether its queues are bounded.
 */
export async function ingestThroughSlowDb(childEnv: NodeJS.ProcessEnv, file: string, bytesPerSecond: number): Promise<ChildIngest> {
  const url = new URL(childEnv.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_slow`;
  await createServerDatabase(url.toString(), name, { what: 'DATABASE_URL' });
  const proxy = await throttledProxy({ host: url.hostname, port: Number(url.port || 5432) }, bytesPerSecond);
  try {
    const slow = new URL(url);
    slow.hostname = '127.0.0.1';
    slow.port = String(proxy.port);
    slow.pathname = `/${name}`;
    return await runIngest({ ...childEnv, DATABASE_URL: slow.toString() }, [file], false);
  } finally {
    await proxy.close();
    await dropServerDatabase(url.toString(), name, 'DATABASE_URL');
  }
}
