import { bearerAuth, defineSource } from '@bronze/core';
import type { Account } from './account.js';
import { GITHUB_ADVICE, gh, REFUSED_HELP } from './client.js';
import { configureGitHub, GitHubConfig } from './config.js';
import { events } from './streams/events.js';
import { gists } from './streams/gists.js';
import { issueComments } from './streams/issue-comments.js';
import { issues, pullRequests } from './streams/issues.js';
import { notifications } from './streams/notifications.js';
import { repos } from './streams/repos.js';
import { starred } from './streams/starred.js';
import { user } from './streams/user.js';

export { GitHubConfig, configureGitHub } from './config.js';
export { missingScope } from './client.js';

const github = defineSource({
  name: 'github',
  version: '0.1.0',
  description: 'GitHub REST API: your user, repositories, stars, events, issues, pull requests, issue comments, gists and (optionally) notifications',
  config: GitHubConfig,
  baseUrl: 'https://api.github.com',
  // GitHub's secondary limits: at most 900 points a minute for REST reads (one point per GET).
  rateLimit: { requests: 15, perMilliseconds: 1000 },
  configure: (env) => configureGitHub(env),
  auth: (config) => bearerAuth(config.token, { advice: REFUSED_HELP }),
  httpAdvice: GITHUB_ADVICE,
  async check(_config, ctx) {
    const res = await ctx.http.json<{ login: string; id: number; name?: string | null }>(gh('/user'));
    const scopes = res.headers.get('x-oauth-scopes');
    const kind = scopes === null ? 'a fine-grained token' : `a classic token with scopes: ${scopes || 'none'}`;
    return `GitHub token OK: ${kind}, user ${res.body.login} (${res.body.name ?? 'no name'}, id ${res.body.id}); ${res.headers.get('x-ratelimit-remaining') ?? '?'} requests left this hour`;
  },
  streams: (config) => {
    const account: Account = {};
    return [
      user(account), repos, starred, events(account), issues(config), pullRequests(config), issueComments(config), gists,
      // Off unless GITHUB_NOTIFICATIONS=on; declared when there is no configuration (schema export).
      ...(config.notifications === false ? [] : [notifications]),
    ];
  },
});

export default github;
