import { describe, expect, it } from 'vitest';
import { oauth1Header } from '../../src/auth/oauth1.js';

describe('OAuth 1.0a signing', () => {
  // The worked example of Twitter's "Creating a signature" guide.
  it('matches a published HMAC-SHA1 example', () => {
    const header = oauth1Header(
      'POST',
      'https://api.twitter.com/1/statuses/update.json?include_entities=true',
      { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' },
      {
        consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
        consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
        token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      },
      { nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg', timestamp: 1318622958 },
    );
    expect(header).toContain(`oauth_signature="${encodeURIComponent('tnnArxj06cWHq44gCs1OSKk/jLY=')}"`);
  });
});
