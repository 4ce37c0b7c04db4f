import { Type } from '@bronze/core';
import { referenceStream } from './reference.js';

/** GET /api/v9/me/workspaces: every workspace the user belongs to. */
export const WorkspaceRecord = Type.Object({
  id: Type.Integer(),
  organization_id: Type.Integer(),
  name: Type.String(),
  at: Type.String(),
  server_deleted_at: Type.Union([Type.String(), Type.Null()]),
  admin: Type.Boolean(),
  premium: Type.Boolean(),
});

export const workspaces = referenceStream({ name: 'workspaces', path: '/me/workspaces', schema: WorkspaceRecord, timestamp: (r) => r.at });
