import { describe, expect, it } from 'vitest';
import { redact, type TokenFileContent } from '@bronze/core';
import { garthCodec, type GarminTokens } from '../../src/auth/garth-codec.js';

const oauth1 = { oauth_token: 'o1-token', oauth_token_secret: 'o1-secret', mfa_token: null, mfa_expiration_timestamp: null, domain: 'garmin.com' };
const oauth2 = { scope: 'CONNECT_READ', jti: 'jti-1', token_type: 'Bearer', access_token: 'access-1', refresh_token: 'refresh-1', expires_in: 86400, expires_at: 1_700_000_000 };
const renewed = { ...oauth2, access_token: 'access-2', jti: 'jti-2', expires_at: 1_700_090_000 };
const file = (text: string): TokenFileContent => ({ kind: 'file', text });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

/** garth's layouts as garth writes them; each must decode to the same tokens and be written back in its own shape. */
const layouts: Record<string, { content: TokenFileContent; readBack: (c: TokenFileContent) => unknown }> = {
  'one JSON file {oauth1, oauth2}': { content: file(JSON.stringify({ oauth1, oauth2, note: 'kept' })), readBack: (c) => JSON.parse((c as { text: string }).text) },
  '[oauth1, oauth2] array': { content: file(JSON.stringify([oauth1, oauth2])), readBack: (c) => JSON.parse((c as { text: string }).text) },
  'garth.client.dumps() base64': { content: file(`${b64([oauth1, oauth2])}\n`), readBack: (c) => JSON.parse(Buffer.from((c as { text: string }).text.trim(), 'base64').toString('utf8')) },
  'garth.save() folder': {
    content: { kind: 'dir', files: { 'oauth1_token.json': JSON.stringify(oauth1), 'oauth2_token.json': JSON.stringify(oauth2) } },
    readBack: (c) => Object.fromEntries(Object.entries((c as { files: Record<string, string> }).files).map(([k, v]) => [k, JSON.parse(v)])),
  },
};

describe('garth token formats', () => {
  it.each(Object.keys(layouts))('%s: decodes to the OAuth2 token with the OAuth1 token beside it', (name) => {
    expect(garthCodec.decode(layouts[name].content, 'tokens')).toEqual({ ...oauth2, oauth1 });
  });

  it('renewed tokens are written back in the shape they were read in, other keys kept', () => {
    const out = (name: string) => layouts[name].readBack(garthCodec.encode({ ...renewed, oauth1 } as GarminTokens, layouts[name].content));
    expect(out('one JSON file {oauth1, oauth2}')).toEqual({ note: 'kept', oauth1, oauth2: renewed });
    expect(out('[oauth1, oauth2] array')).toEqual([oauth1, renewed]);
    expect(out('garth.client.dumps() base64')).toEqual([oauth1, renewed]);
    // The folder: only oauth2_token.json changes (garth's own layout).
    expect(out('garth.save() folder')).toEqual({ 'oauth2_token.json': renewed });
  });

  it('a bare OAuth2 token is read, and the consumer key a file carries is kept out of the OAuth2 token', () => {
    expect(garthCodec.decode(file(JSON.stringify(oauth2)), 't')).toEqual(oauth2);
    const consumer = { consumer_key: 'k', consumer_secret: 's' };
    const withConsumer = file(JSON.stringify({ oauth1, oauth2, consumer }));
    const tokens = garthCodec.decode(withConsumer, 't') as GarminTokens;
    expect(tokens.consumer).toEqual(consumer);
    expect(JSON.parse((garthCodec.encode(tokens, withConsumer) as { text: string }).text)).toEqual({ oauth1, oauth2, consumer });
  });

  it('the OAuth1 token, its secret and a consumer secret read from a file are registered as secrets', () => {
    const o1 = { ...oauth1, oauth_token: 'o1-token-3f9a77', oauth_token_secret: 'o1-secret-81c2d4' };
    garthCodec.decode(file(JSON.stringify({ oauth1: o1, oauth2, consumer: { consumer_key: 'k', consumer_secret: 'consumer-secret-55e1' } })), 't');
    expect(redact('o1-token-3f9a77 o1-secret-81c2d4 consumer-secret-55e1')).not.toMatch(/o1-token|o1-secret|consumer-secret/);
  });

  it('what is no garth token file is refused with the file name and how to create one', () => {
    expect(() => garthCodec.decode(file('{"hello": 1}'), '/x/garmin.json')).toThrow(/\/x\/garmin\.json: holds no Garmin tokens.*\n.*pip install garth/);
    expect(() => garthCodec.decode(file('%%%'), '/x/garmin.json')).toThrow(/\/x\/garmin\.json: not a Garmin token file/);
    expect(() => garthCodec.decode({ kind: 'dir', files: {} }, '/x/.garth')).toThrow(/\/x\/\.garth: folder without oauth1_token\.json or oauth2_token\.json/);
  });
});
