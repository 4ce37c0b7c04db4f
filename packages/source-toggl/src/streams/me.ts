import { Type } from '@bronze/core';
import { referenceStream } from './reference.js';

/** GET /api/v9/me: the token's user (its api_token field is masked). */
export const MeRecord = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  fullname: Type.String(),
  timezone: Type.String(),
  default_workspace_id: Type.Integer(),
  beginning_of_week: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
  at: Type.String(),
});

export const me = referenceStream({ name: 'me', path: '/me', schema: MeRecord, single: true, timestamp: (r) => r.created_at });
