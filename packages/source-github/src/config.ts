import { ConfigError, registerSecret, requireEnv, Type, type Static } from '@bronze/core';

export const ISSUE_FILTERS = ['assigned', 'created', 'mentioned', 'subscribed', 'repos', 'all'] as const;

export const GitHubConfig = Type.Object(
  {
    token: Type.String({ minLength: 1, description: 'personal access token, fine-grained or classic (GITHUB_TOKEN); a secret' }),
    notifications: Type.Boolean({ description: 'read the notifications stream (GITHUB_NOTIFICATIONS=on; off by default)' }),
    issueFilter: Type.Union(ISSUE_FILTERS.map((f) => Type.Literal(f)), { description: 'which issues /issues lists (GITHUB_ISSUE_FILTER; default all)' }),
  },
  { additionalProperties: false },
);
export type GitHubConfig = Static<typeof GitHubConfig>;

export const TOKEN_HELP = 'create a token at https://github.com/settings/tokens (fine-grained: read-only access to your repositories with Issues, Pull requests and Metadata; classic: scopes repo, read:user, gist and notifications) and put it in .env as GITHUB_TOKEN';

function onOff(name: string, value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  if (!v) return false;
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(`${name}: ${JSON.stringify(value)} must be on or off`);
}

export function configureGitHub(env: NodeJS.ProcessEnv): GitHubConfig {
  const token = requireEnv('GITHUB_TOKEN', env, TOKEN_HELP);
  registerSecret(token);
  const filter = env.GITHUB_ISSUE_FILTER?.trim() || 'all';
  if (!(ISSUE_FILTERS as readonly string[]).includes(filter)) {
    throw new ConfigError(`GITHUB_ISSUE_FILTER: ${JSON.stringify(filter)} must be one of ${ISSUE_FILTERS.join(', ')}`);
  }
  return { token, notifications: onOff('GITHUB_NOTIFICATIONS', env.GITHUB_NOTIFICATIONS), issueFilter: filter as GitHubConfig['issueFilter'] };
}
