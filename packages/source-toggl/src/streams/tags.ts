import { Type } from '@bronze/core';
import { referenceStream } from './reference.js';

/** GET /api/v9/me/tags: the tags of the user's workspaces. */
export const TagRecord = Type.Object({
  id: Type.Integer(),
  workspace_id: Type.Integer(),
  name: Type.String(),
  at: Type.String(),
});

export const tags = referenceStream({ name: 'tags', path: '/me/tags', schema: TagRecord, timestamp: (r) => r.at });
