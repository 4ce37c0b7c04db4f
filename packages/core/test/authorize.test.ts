import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFromInput, completeAuthorization, createHttpClient, redact, silentLogger, startAuthorization, type AuthorizeSpec } from '../src/index.js';

let forms: Record<string, string>[] = [];
let refuse = false;
let tokenUrl = '';
const server = createServer((req, res) => {
  let text = '';
  req.on('data', (c) => (text += c));
  req.on('end', () => {
    forms.push(Object.fromEntries(new URLSearchParams(text)));
    if (refuse) return res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'first-access-abcdef', refresh_token: 'first-refresh-abcdef', expires_in: 3600, token_type: 'Bearer', athlete: { id: 1 } }));
  });
});
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  tokenUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/oauth/token`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const spec = (o: Partial<AuthorizeSpec> = {}): AuthorizeSpec => ({ authorizeUrl: 'https://www.strava.com/oauth/authorize', tokenUrl, clientId: '12345', scopes: ['read', 'activity:read_all'], scopeSeparator: ',', ...o });
const context = (root: string) => ({ source: 'demo', root, http: createHttpClient({ baseUrl: 'http://127.0.0.1:1/' }), logger: silentLogger(), now: () => new Date(1_700_000_000_000) });

describe('bronze auth: the authorization code grant', () => {
  it('builds the authorize URL, exchanges the code, writes the tokens 0600 with expires_at', async () => {
    forms = [];
    const pending = startAuthorization(spec({ clientSecret: 'client-secret-abcdef', extraParams: { approval_prompt: 'auto' } }), 'http://127.0.0.1:8123/callback');
    const url = new URL(pending.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: '12345', response_type: 'code', redirect_uri: 'http://127.0.0.1:8123/callback', scope: 'read,activity:read_all', state: pending.state, approval_prompt: 'auto' });
    const code = codeFromInput(`http://127.0.0.1:8123/callback?state=${pending.state}&code=the-code-abcdef&scope=read`, pending);
    const root = mkdtempSync(join(tmpdir(), 'bronze-auth-'));
    const { path } = await completeAuthorization(spec({ clientSecret: 'client-secret-abcdef' }), pending, code, context(root));
    expect(path).toBe(join(root, 'configs/credentials/demo.json'));
    expect(forms).toEqual([{ grant_type: 'authorization_code', code: 'the-code-abcdef', redirect_uri: 'http://127.0.0.1:8123/callback', client_id: '12345', client_secret: 'client-secret-abcdef' }]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ access_token: 'first-access-abcdef', refresh_token: 'first-refresh-abcdef', expires_at: 1_700_003_600 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    for (const s of ['the-code-abcdef', 'client-secret-abcdef', 'first-access-abcdef', 'first-refresh-abcdef']) expect(redact(`.${s}.`)).not.toContain(s);
  });

  it('PKCE: an S256 challenge of the verifier sent with the code, no client secret', async () => {
    forms = [];
    const pending = startAuthorization(spec({ pkce: true, scopeSeparator: ' ' }), 'http://127.0.0.1:8123/callback');
    const url = new URL(pending.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const expected = createHash('sha256').update(pending.verifier!).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(url.searchParams.get('code_challenge')).toBe(expected);
    await completeAuthorization(spec({ pkce: true }), pending, 'code-2-abcdef', context(mkdtempSync(join(tmpdir(), 'bronze-auth-'))));
    expect(forms[0]).toEqual({ grant_type: 'authorization_code', code: 'code-2-abcdef', redirect_uri: 'http://127.0.0.1:8123/callback', client_id: '12345', code_verifier: pending.verifier });
  });

  it('a pasted URL from another sign-in, a denial and a refused code are clear errors', async () => {
    const pending = startAuthorization(spec(), 'http://127.0.0.1:8123/callback');
    expect(() => codeFromInput('http://127.0.0.1:8123/callback?state=other&code=x', pending)).toThrow(/state differs/);
    expect(() => codeFromInput(`http://127.0.0.1:8123/callback?state=${pending.state}&error=access_denied`, pending)).toThrow('the service did not authorize bronze: access_denied');
    expect(codeFromInput('  plain-code  ', pending)).toBe('plain-code');
    refuse = true;
    await expect(completeAuthorization(spec(), pending, 'stale', context(mkdtempSync(join(tmpdir(), 'bronze-auth-'))))).rejects.toThrow('demo: the service refused the authorization code (400); codes are single-use and expire within minutes: run the command again');
    refuse = false;
  });
});
