import { defineApiStream } from '@bronze/core';
import { AthleteRecord } from '../api/schemas.js';

/** GET /athlete: the signed-in athlete, a snapshot (a changed profile is a new version). */
export const athlete = defineApiStream<{ id: unknown; updated_at?: string }>({
  name: 'athlete',
  schema: AthleteRecord,
  id: (r) => String(r.id),
  timestamp: (r) => (r.updated_at ? new Date(r.updated_at) : undefined),
  request: () => ({ path: 'athlete' }),
  items: (body) => (body ? [body] : []),
});
