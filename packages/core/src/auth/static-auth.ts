import { registerSecret } from '../secrets.js';
import type { AuthStrategy } from './types.js';

export interface StaticAuthOptions {
  /** What to do when the service refuses the credentials, e.g. where to get a new token. */
  advice?: string;
}

/** A fixed header: an API key (`X-Api-Key: …`) or a prebuilt Authorization value. */
export function headerAuth(name: string, value: string, o: StaticAuthOptions = {}): AuthStrategy {
  registerSecret(value);
  return { headers: async () => ({ [name.toLowerCase()]: value }), advice: o.advice };
}

/** `Authorization: Bearer <token>` (GitHub, personal access tokens). */
export function bearerAuth(token: string, o: StaticAuthOptions = {}): AuthStrategy {
  registerSecret(token);
  return headerAuth('authorization', `Bearer ${token}`, o);
}

export interface BasicAuthOptions extends StaticAuthOptions {
  /** Which part is secret (default both); Toggl's password is the constant word `api_token`. */
  secret?: 'user' | 'password' | 'both';
}

/** HTTP Basic (RFC 7617): `Authorization: Basic base64(user:password)`; the encoded value is a secret too. */
export function basicAuth(user: string, password: string, o: BasicAuthOptions = {}): AuthStrategy {
  const secret = o.secret ?? 'both';
  if (secret !== 'password') registerSecret(user);
  if (secret !== 'user') registerSecret(password);
  const encoded = Buffer.from(`${user}:${password}`).toString('base64');
  registerSecret(encoded);
  return headerAuth('authorization', `Basic ${encoded}`, o);
}
