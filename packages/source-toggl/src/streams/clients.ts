import { Type } from '@bronze/core';
import { referenceStream } from './reference.js';

/** GET /api/v9/me/clients: the clients of the user's workspaces. */
export const ClientRecord = Type.Object({
  id: Type.Integer(),
  wid: Type.Integer(),
  name: Type.String(),
  archived: Type.Boolean(),
  at: Type.String(),
});

export const clients = referenceStream({ name: 'clients', path: '/me/clients', schema: ClientRecord, timestamp: (r) => r.at });
