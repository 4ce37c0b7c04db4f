import type { HttpClient } from '../http/types.js';
import type { Logger } from '../log.js';

/** What an auth strategy may use: a client without auth (for token endpoints), the clock, the root. */
export interface AuthContext {
  source: string;
  /** The project root: relative token files live below it. */
  root: string;
  http: HttpClient;
  logger: Logger;
  now(): Date;
}

/** How ctx.http authenticates a source's requests. Values it returns are secrets (redacted). */
export interface AuthStrategy {
  /** Headers for the next request, renewing expired credentials first. */
  headers(): Promise<Record<string, string>>;
  /** After a 401: renew once if this strategy can (OAuth2); false when there is nothing to renew. */
  renew?(why: string): Promise<boolean>;
  /** What to tell the user when the service refuses the credentials (401/403). */
  advice?: string;
}

/** The one-time sign-in of an OAuth2 source (authorization code grant, RFC 6749 §4.1; PKCE, RFC 7636). */
export interface AuthorizeSpec {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Confidential clients (Strava); absent for PKCE public clients (Spotify). */
  clientSecret?: string;
  scopes: string[];
  /** How scopes are joined in the URL: Strava wants commas, RFC 6749 spaces. */
  scopeSeparator?: string;
  pkce?: boolean;
  /** Extra query parameters of the authorize URL (e.g. Strava's approval_prompt=auto). */
  extraParams?: Record<string, string>;
  /** Default configs/credentials/<source>.json. */
  tokenFile?: string;
}
