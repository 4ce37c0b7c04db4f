import { ConfigError, configureSource, createSourceContext, silentLogger } from '@bronze/core';
import { startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import github from '../src/index.js';
import { configureGitHub } from '../src/config.js';
import { GITHUB_ADVICE, missingScope } from '../src/client.js';
import { commonHeaders, env, fixture, TOKEN } from './github-scenario.js';

describe('configuration', () => {
  it('needs GITHUB_TOKEN and says where to make one', () => {
    expect(() => configureGitHub({})).toThrow(ConfigError);
    expect(() => configureGitHub({})).toThrow(/missing GITHUB_TOKEN.*github\.com\/settings\/tokens/);
  });

  it('defaults: notifications off, every issue GitHub lists', () => {
    expect(configureGitHub({ GITHUB_TOKEN: 'ghp_x' })).toEqual({ token: 'ghp_x', notifications: false, issueFilter: 'all' });
    expect(configureGitHub({ GITHUB_TOKEN: 'ghp_x', GITHUB_NOTIFICATIONS: 'on', GITHUB_ISSUE_FILTER: 'created' })).toMatchObject({ notifications: true, issueFilter: 'created' });
  });

  it('names the variable when a value is wrong', () => {
    expect(() => configureGitHub({ GITHUB_TOKEN: 'ghp_x', GITHUB_NOTIFICATIONS: 'sometimes' })).toThrow('GITHUB_NOTIFICATIONS: "sometimes" must be on or off');
    expect(() => configureGitHub({ GITHUB_TOKEN: 'ghp_x', GITHUB_ISSUE_FILTER: 'mine' })).toThrow(/^GITHUB_ISSUE_FILTER: "mine" must be one of assigned, created/);
  });

  it('the notifications stream exists only when asked for', () => {
    const names = (e: NodeJS.ProcessEnv) => github.streams(configureGitHub(e) as never).map((s) => s.name);
    expect(names({ GITHUB_TOKEN: 'x' })).toEqual(['user', 'repos', 'starred', 'events', 'issues', 'pull_requests', 'issue_comments', 'gists']);
    expect(names({ GITHUB_TOKEN: 'x', GITHUB_NOTIFICATIONS: 'on' }).at(-1)).toBe('notifications');
  });

  it('a missing scope or permission is read from the refusal\'s headers, and only when one is missing', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(missingScope(h({ 'x-oauth-scopes': 'repo, user', 'x-accepted-oauth-scopes': 'notifications, repo' }))).toBeUndefined();
    expect(missingScope(h({ 'x-oauth-scopes': '', 'x-accepted-oauth-scopes': 'gist' }))).toBe('the token lacks the scope "gist" (it has: none): add it at https://github.com/settings/tokens');
    expect(missingScope(h({ 'x-accepted-github-permissions': 'contents=read; metadata=read' }))).toBe('the fine-grained token lacks the permission "contents=read" or "metadata=read": add it at https://github.com/settings/personal-access-tokens');
    expect(missingScope(h({}))).toBeUndefined();
    // A rate-limited 403 (the token has what the endpoint accepts) gets no refusal advice: it
    // names the spent limit and its reset (no advice at all would let core add the token's).
    const advice403 = GITHUB_ADVICE[403] as (headers: Headers) => string | undefined;
    expect(advice403(h({ 'x-oauth-scopes': 'repo', 'x-accepted-oauth-scopes': 'repo', 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '5000', 'x-ratelimit-reset': '1706702400' }))).toBe(
      "GitHub's rate limit is spent (X-RateLimit-Remaining: 0 of 5000), the token is not at fault: run again after 2024-01-31T12:00:00Z; what was read is kept",
    );
    expect(advice403(h({ 'x-oauth-scopes': 'repo', 'x-accepted-oauth-scopes': 'repo', 'x-ratelimit-remaining': '4999' }))).toBeUndefined();
  });
});

describe('check', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());

  const context = () => {
    const e = env(server.url);
    const config = configureSource(github, e, {});
    return { config, ctx: createSourceContext(github, config, { logger: silentLogger(), signal: new AbortController().signal, root: '.', env: e }) };
  };

  it('proves the token with one call to /user: whose it is, its kind and scopes, the requests left', async () => {
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures: [{ request: { path: '/user' }, response: { body: fixture('user.json'), headers: commonHeaders({ remaining: 4321 }) } }] });
    const { config, ctx } = context();
    expect(await github.check!(config as never, ctx)).toBe('GitHub token OK: a classic token with scopes: gist, notifications, read:user, repo, user octocat (monalisa octocat, id 1); 4321 requests left this hour');
    server.verify();
  });

  it('a fine-grained token has no scopes header', async () => {
    const { 'x-oauth-scopes': _scopes, ...headers } = commonHeaders();
    server.load({ fixtures: [{ request: { path: '/user' }, response: { body: fixture('user.json'), headers } }] });
    const { config, ctx } = context();
    expect(await github.check!(config as never, ctx)).toMatch(/^GitHub token OK: a fine-grained token, user octocat/);
  });
});
