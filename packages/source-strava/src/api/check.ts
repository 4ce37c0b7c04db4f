import type { SourceContext } from '@bronze/core';
import type { StravaConfig } from '../config.js';
import { requireApi } from './auth.js';

/** `bronze check strava`: one GET /athlete with the stored tokens (renewing them if expired). */
export async function checkStrava(config: StravaConfig, ctx: SourceContext): Promise<string> {
  requireApi(config);
  const { body } = await ctx.http.json<{ id: unknown; firstname?: string; lastname?: string } | null>({ path: 'athlete' });
  return `signed in as ${[body?.firstname, body?.lastname].filter(Boolean).join(' ') || 'an athlete'} (athlete ${String(body?.id)})`;
}
