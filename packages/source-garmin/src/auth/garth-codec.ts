import { ConfigError, registerSecret, type OAuth2Tokens, type TokenCodec, type TokenFileContent } from '@bronze/core';

/** garth's OAuth1Token: long-lived (about a year); exchanged for OAuth2 access tokens. */
export interface OAuth1Token {
  oauth_token: string;
  oauth_token_secret: string;
  mfa_token?: string | null;
  mfa_expiration_timestamp?: string | null;
  domain?: string | null;
}

/** The token set core holds: garth's OAuth2 token, with the OAuth1 token (and a consumer key, if the file has one) beside it. */
export interface GarminTokens extends OAuth2Tokens {
  oauth1?: OAuth1Token;
  consumer?: { consumer_key?: string; consumer_secret?: string };
}

/** The exact way to get a token file, shown after "sign in first:" / "sign in again:". */
export const GARTH_LOGIN = [
  'create the token file with garth (the library python-garminconnect uses; it signs in like the Garmin Connect app, MFA included):',
  '  pip install garth',
  `  python3 -c "import garth, getpass; garth.login(input('Garmin email: '), getpass.getpass()); garth.save('~/.garth')"`,
  'then point GARMIN_TOKEN_FILE at that folder (GARMIN_TOKEN_FILE=~/.garth), or combine it into one file:',
  `  python3 -c "import json,os; d=os.path.expanduser('~/.garth'); json.dump({k: json.load(open(f'{d}/{k}_token.json')) for k in ('oauth1','oauth2')}, open('configs/credentials/garmin.json','w'))" && chmod 600 configs/credentials/garmin.json`,
].join('\n');

const OAUTH1_FILE = 'oauth1_token.json';
const OAUTH2_FILE = 'oauth2_token.json';

/** How a single token file was written, so a renewed token goes back in the same shape. */
type FileShape = 'object' | 'array' | 'base64' | 'bare';

function parseText(text: string, path: string): { value: unknown; base64: boolean } {
  const t = text.trim();
  try {
    if (t.startsWith('{') || t.startsWith('[')) return { value: JSON.parse(t), base64: false };
    // garth.client.dumps(): base64 of [oauth1, oauth2].
    return { value: JSON.parse(Buffer.from(t, 'base64').toString('utf8')), base64: true };
  } catch {
    throw new ConfigError(`${path}: not a Garmin token file (expected garth's token JSON); ${GARTH_LOGIN}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parts of one token file: its shape, the two tokens, and the keys it has beside them. */
function fileParts(text: string, path: string): { shape: FileShape; oauth1?: OAuth1Token; oauth2?: OAuth2Tokens; extra: Record<string, unknown> } {
  const { value, base64 } = parseText(text, path);
  if (Array.isArray(value) && value.length === 2) return { shape: base64 ? 'base64' : 'array', oauth1: value[0] as OAuth1Token, oauth2: value[1] as OAuth2Tokens, extra: {} };
  if (isObject(value) && ('oauth1' in value || 'oauth2' in value)) {
    const { oauth1, oauth2, ...extra } = value;
    return { shape: 'object', oauth1: oauth1 as OAuth1Token | undefined, oauth2: oauth2 as OAuth2Tokens | undefined, extra };
  }
  if (isObject(value) && typeof value.access_token === 'string') return { shape: 'bare', oauth2: value as OAuth2Tokens, extra: {} };
  throw new ConfigError(`${path}: holds no Garmin tokens (no oauth1/oauth2 keys, no access_token); ${GARTH_LOGIN}`);
}

function tokensOf(oauth1: OAuth1Token | undefined, oauth2: OAuth2Tokens | undefined, extra: Record<string, unknown>): GarminTokens {
  const consumer = isObject(extra.consumer) ? (extra.consumer as GarminTokens['consumer']) : undefined;
  // Known as secrets from the moment they are read (core registers the OAuth2 pair itself).
  for (const s of [oauth1?.oauth_token, oauth1?.oauth_token_secret, oauth1?.mfa_token, consumer?.consumer_secret]) registerSecret(s ?? undefined);
  return { ...oauth2, ...(oauth1 ? { oauth1 } : {}), ...(consumer ? { consumer } : {}) };
}

const json = (value: unknown, indent: number) => `${JSON.stringify(value, null, indent)}\n`;

/**
 * garth's token formats, read and written without IO (core reads and writes the file): a
 * garth.save() folder (oauth1_token.json + oauth2_token.json), one JSON file
 * {oauth1, oauth2, …}, the [oauth1, oauth2] array, its base64 (garth.client.dumps()), or a bare
 * OAuth2 token. A renewed token is written back in the shape it was read in, other keys kept.
 */
export const garthCodec: TokenCodec = {
  decode(content: TokenFileContent, path: string): GarminTokens {
    if (content.kind === 'dir') {
      const one = content.files[OAUTH1_FILE];
      const two = content.files[OAUTH2_FILE];
      if (one === undefined && two === undefined) throw new ConfigError(`${path}: folder without ${OAUTH1_FILE} or ${OAUTH2_FILE}; ${GARTH_LOGIN}`);
      const oauth1 = one === undefined ? undefined : (parseText(one, `${path}/${OAUTH1_FILE}`).value as OAuth1Token);
      const oauth2 = two === undefined ? undefined : (parseText(two, `${path}/${OAUTH2_FILE}`).value as OAuth2Tokens);
      return tokensOf(oauth1, oauth2, {});
    }
    const parts = fileParts(content.text, path);
    return tokensOf(parts.oauth1, parts.oauth2, parts.extra);
  },

  encode(tokens: OAuth2Tokens, previous: TokenFileContent | undefined): TokenFileContent {
    const { oauth1, consumer: _consumer, ...oauth2 } = tokens as GarminTokens;
    // garth.save()'s folder: only the OAuth2 token changes.
    if (previous?.kind === 'dir') return { kind: 'dir', files: { [OAUTH2_FILE]: json(oauth2, 4) } };
    const parts = previous ? fileParts(previous.text, 'token file') : { shape: 'object' as const, extra: {} };
    switch (parts.shape) {
      case 'array':
        return { kind: 'file', text: json([oauth1, oauth2], 2) };
      case 'base64':
        return { kind: 'file', text: `${Buffer.from(JSON.stringify([oauth1, oauth2])).toString('base64')}\n` };
      case 'bare':
        return { kind: 'file', text: json(oauth2, 2) };
      default:
        return { kind: 'file', text: json({ ...parts.extra, oauth1, oauth2 }, 2) };
    }
  },
};
