import { defineApiStream } from '@bronze/core';
import { GearRecord } from '../api/schemas.js';

interface GearSummary {
  id: string;
}

/** The athlete's bikes and shoes (listed in GET /athlete), each read with GET /gear/{id}: a snapshot. */
export const gear = defineApiStream<{ id: string }, GearSummary>({
  name: 'gear',
  schema: GearRecord,
  id: (r) => String(r.id),
  request: () => ({ path: 'athlete' }),
  items: (body) => [...(body?.bikes ?? []), ...(body?.shoes ?? [])],
  detail: { request: (g) => ({ path: `gear/${encodeURIComponent(g.id)}` }) },
});
