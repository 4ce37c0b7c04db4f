import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, type IngestOptions, type IngestResult, type Source } from '@bronze/core';
import { capturingLogger, type TestDatabase } from '@bronze/testkit';
import strava from '../../src/index.js';
import type { StravaSim } from './strava-api.js';

export const CLIENT_SECRET = 'client-secret-xyz';

/** A project root with a token file (0600) holding the simulator's current tokens. */
export function signedIn(sim: StravaSim, expiresAt = sim.token.expiresAt): { root: string; tokenFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'bronze-strava-api-'));
  const tokenFile = join(root, 'strava.json');
  writeFileSync(tokenFile, JSON.stringify({ token_type: 'Bearer', access_token: sim.token.access, refresh_token: sim.token.refresh, expires_at: expiresAt }), { mode: 0o600 });
  return { root, tokenFile };
}

export function apiEnv(sim: StravaSim, tokenFile: string, root: string): NodeJS.ProcessEnv {
  return { STRAVA_CLIENT_ID: 'client-1', STRAVA_CLIENT_SECRET: CLIENT_SECRET, STRAVA_BASE_URL: sim.baseUrl, STRAVA_TOKEN_FILE: tokenFile, BRONZE_HOME: root };
}


export async function runApi(db: TestDatabase, env: NodeJS.ProcessEnv, o: Partial<IngestOptions> & { source?: Source } = {}): Promise<{ result?: IngestResult; error?: Error & { exitCode?: number }; logs: string }> {
  const { logger, text } = capturingLogger();
  try {
    const result = await ingest(db, o.source ?? strava, { logger, env, ...o });
    return { result, logs: text() };
  } catch (err) {
    return { error: err as Error, logs: text() };
  }
}

export async function rowsOf(db: TestDatabase, stream: string): Promise<{ raw_id: string; raw_data: any }[]> {
  return db.withSession((s) => s.query<{ raw_id: string; raw_data: any }>('SELECT raw_id, raw_data FROM bronze_strava WHERE stream = $1 ORDER BY raw_id, ingested_at', [stream]));
}

export async function cursorOf(db: TestDatabase, stream: string): Promise<any> {
  const rows = await db.withSession((s) => s.query<{ cursor: unknown }>(`SELECT cursor FROM bronze_state WHERE source = 'strava' AND stream = $1`, [stream]));
  return rows[0]?.cursor;
}
