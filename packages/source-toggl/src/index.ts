import { basicAuth, defineSource } from '@bronze/core';
import { API, TOGGL_ADVICE } from './client.js';
import { configureToggl, TogglConfig } from './config.js';
import { clients } from './streams/clients.js';
import { me } from './streams/me.js';
import { projects } from './streams/projects.js';
import { tags } from './streams/tags.js';
import { reportTimeEntries } from './streams/report-time-entries.js';
import { timeEntries } from './streams/time-entries.js';
import { workspaces } from './streams/workspaces.js';

export { TogglConfig, configureToggl } from './config.js';

const toggl = defineSource({
  name: 'toggl',
  version: '0.1.0',
  description: 'Toggl Track API v9: your user, workspaces, projects, clients, tags and time entries; the Reports API v3 for the history of time entries',
  config: TogglConfig,
  baseUrl: 'https://api.track.toggl.com',
  // Toggl asks clients to stay near one request per second (a leaky bucket; 429 beyond it).
  rateLimit: { requests: 4, perMilliseconds: 4000 },
  configure: (env, options) => configureToggl(env, options),
  // HTTP Basic `<token>:api_token`, as Toggl documents it.
  auth: (config) => basicAuth(config.apiToken, 'api_token', { secret: 'user' }),
  httpAdvice: TOGGL_ADVICE,
  async check(_config, ctx) {
    const { body: user } = await ctx.http.json<{ id: number; fullname?: string; email?: string; default_workspace_id?: number }>({ path: `${API}/me` });
    return `Toggl token OK: it belongs to ${user.fullname ?? '(no name)'} <${user.email ?? '?'}>, user ${user.id}, default workspace ${user.default_workspace_id ?? '?'}`;
  },
  streams: (config) => [me, workspaces, projects, clients, tags, timeEntries(config), reportTimeEntries(config)],
});

export default toggl;
