import { defineApiStream, type Stream, type TSchema } from '@bronze/core';
import { API } from '../client.js';

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

/**
 * A small listing read whole on every run (one request, kind snapshot): Toggl's reference data
 * is a few hundred records at most, and a full read is the only way to see every edit. Records
 * whose hash did not change insert nothing. Toggl puts the user's own token in `api_token`
 * (/me, and a deprecated workspace token in workspaces): it is masked, nothing else is touched.
 */
export function referenceStream(o: ReferenceStreamOptions): Stream {
  return defineApiStream<any>({
    name: o.name,
    schema: o.schema,
    id: 'id',
    timestamp: o.timestamp ? (r) => (o.timestamp!(r) ? new Date(o.timestamp!(r)!) : undefined) : undefined,
    request: () => ({ path: `${API}${o.path}`, query: o.query }),
    items: o.single ? (body) => (body === null ? [] : [body]) : (body) => body,
    secretFields: ['api_token'],
    incremental: { kind: 'snapshot' },
  });
}
