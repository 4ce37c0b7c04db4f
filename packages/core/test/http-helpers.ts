// The fixture server lives in @bronze/testkit, which depends on core; import its file
// directly (it needs only node:http) so the workspace has no dependency cycle.
export { startFixtureServer, type FixtureServer, type Fixture } from '../../testkit/src/fixture-server.js';
import { createHttpClient, type HttpClientOptions } from '../src/http/client.js';

/** A client whose waits are recorded instead of slept, so tests assert the waits asked for. */
export function recordingClient(baseUrl: string, o: Partial<HttpClientOptions> = {}) {
  const waits: number[] = [];
  const http = createHttpClient({
    baseUrl,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...o,
  });
  return { http, waits };
}
