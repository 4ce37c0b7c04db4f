import { Type } from '@bronze/core';
import { referenceStream } from './reference.js';

/** GET /api/v9/me/projects?include_archived=true: active and archived projects. */
export const ProjectRecord = Type.Object({
  id: Type.Integer(),
  workspace_id: Type.Integer(),
  client_id: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  active: Type.Boolean(),
  is_private: Type.Boolean(),
  billable: Type.Union([Type.Boolean(), Type.Null()]),
  color: Type.String(),
  created_at: Type.String(),
  at: Type.String(),
  server_deleted_at: Type.Union([Type.String(), Type.Null()]),
});

export const projects = referenceStream({
  name: 'projects',
  path: '/me/projects',
  query: { include_archived: 'true' },
  schema: ProjectRecord,
  timestamp: (r) => r.created_at,
});
