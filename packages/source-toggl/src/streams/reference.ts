import { defineStream, emit, type Stream, type TSchema } from '@bronze/core';
import { API, togglRecords, withoutCredentials } from '../client.js';

interface ReferenceStreamOptions {
  name: string;
  /** Path below /api/v9. */
  path: string;
  schema: TSchema;
  query?: Record<string, string>;
  /** The record's own instant, for source_timestamp. */
  timestamp?: (record: any) => string | null | undefined;
  /** The response is one object rather than a list (/me). */
  single?: boolean;
}

const toDate = (v: string | null | undefined) => (v ? new Date(v) : undefined);

/**
 * A small listing read whole on every run (one request): Toggl's reference data is a few
 * hundred records at most, and a full read is the only way to see every edit. Records whose
 * hash did not change insert nothing.
 */
export function referenceStream(o: ReferenceStreamOptions): Stream {
  return defineStream<any>({
    name: o.name,
    schema: o.schema,
    id: (r) => String(r.id),
    timestamp: o.timestamp ? (r) => toDate(o.timestamp!(r)) : undefined,
    async *read(_args, ctx) {
      const items = o.single ? (body: unknown) => (body === null ? [] : [body]) : (body: unknown) => body as unknown[] | null;
      for await (const e of togglRecords(ctx, { path: `${API}${o.path}`, query: o.query }, { items })) {
        yield emit(withoutCredentials(e.record), e.meta);
      }
    },
  });
}
