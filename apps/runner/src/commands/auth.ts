import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import {
  codeFromInput, completeAuthorization, ConfigError, configureSource, createHttpClient, createLogger, ExitCode, startAuthorization,
  type PendingAuthorization, type Settings, type Source,
} from '@bronze/core';
import type { CliIo } from './io.js';
import { sources } from '../sources.js';
import { parseCommandArgs } from './flag-errors.js';

const DEFAULT_PORT = 8765;

/**
 * `bronze auth <source> [--port N]`: the one-time OAuth2 sign-in of a source that declares
 * authorize(). Prints the authorize URL, then takes the code from whichever comes first: the
 * browser's redirect to http://127.0.0.1:<port>/callback (a one-shot listener), or a line
 * pasted on stdin (the code, or the whole redirect URL). The tokens go where the source's
 * runs read them, mode 0600.
 */
export function authCommand(input: Readable = process.stdin) {
  return async (argv: string[], io: CliIo, settings: Settings): Promise<number> => {
    const { positionals, values } = flags(argv);
    const source = pick(positionals[0]);
    if (!source.authorize) throw new ConfigError(`source '${source.name}' has no sign-in (it does not use OAuth2)`);
    const port = Number(values.port ?? DEFAULT_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError(`--port: expected a port number, got '${values.port}'`);
    const root = settings.root;
    const spec = source.authorize(configureSource(source, settings.env, {}) as never);
    const pending = startAuthorization(spec, `http://127.0.0.1:${port}/callback`);
    const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });

    const listener = await listen(port, pending);
    const pasted = readPasted(input, pending);
    io.out(`Open this URL in a browser and authorize bronze:\n\n  ${pending.url}\n`);
    io.out(`Waiting for the redirect to ${pending.redirectUri} (register it as the app's callback), or paste the code or the whole redirect URL here:`);
    let code: string;
    try {
      const answer = await Promise.race([listener.code, pasted.code]);
      code = answer.code;
      const missing = missingScopes(answer.url, spec.scopes);
      if (missing.length) io.err(`warning: ${source.name} granted without ${missing.join(', ')} (a box was unticked on the authorize page): what needs it is not read; run the command again to grant it`);
    } finally {
      listener.close();
      pasted.close();
    }
    const http = createHttpClient({ baseUrl: spec.tokenUrl, service: source.name, logger });
    const { path } = await completeAuthorization(spec, pending, code, { source: source.name, root, http, logger, now: () => new Date() });
    io.out(`${source.name}: signed in; tokens saved to ${path} (mode 0600). Runs renew them from now on: pnpm bronze ingest ${source.name}`);
    return ExitCode.ok;
  };
}

function flags(argv: string[]) {
  return parseCommandArgs({ args: argv, options: { port: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } }, allowPositionals: true, strict: true });
}

function pick(name: string | undefined): Source {
  const signIn = Object.values(sources).filter((s) => s.authorize).map((s) => s.name).join(', ');
  if (!name) throw new ConfigError(`name the source to sign in to (${signIn})`);
  const s = Object.values(sources).find((x) => x.name === name.replace(/-/g, '_'));
  if (!s) throw new ConfigError(`unknown source '${name}' (sources with a sign-in: ${signIn})`);
  return s;
}

/** The one-shot listener: the first /callback carrying this sign-in's state settles it. */
interface Answer {
  code: string;
  /** The redirect URL, when that is what arrived (it lists the scopes granted). */
  url?: URL;
}

/** Scopes asked for but not in the redirect's `scope` (Strava lets the user untick some); none when it has no `scope`. */
function missingScopes(url: URL | undefined, asked: string[]): string[] {
  const granted = url?.searchParams.get('scope');
  if (granted === null || granted === undefined) return [];
  const have = new Set(granted.split(/[ ,]/));
  return asked.filter((s) => !have.has(s));
}

async function listen(port: number, pending: PendingAuthorization): Promise<{ code: Promise<Answer>; close: () => void }> {
  let settle!: { ok: (a: Answer) => void; fail: (err: Error) => void };
  const code = new Promise<Answer>((ok, fail) => (settle = { ok, fail }));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', pending.redirectUri);
    if (url.pathname !== '/callback') return void res.writeHead(404).end();
    try {
      const got = codeFromInput(url.toString(), pending);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('bronze: authorized. You can close this tab and return to the terminal.\n');
      settle.ok({ code: got, url });
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`bronze: ${(err as Error).message}\n`);
      settle.fail(err as Error);
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => fail(new ConfigError(`cannot listen on 127.0.0.1:${port} (${err.code ?? err.message}); choose another with --port`)));
    server.listen(port, '127.0.0.1', ok);
  });
  return { code, close: () => (server.closeAllConnections(), server.close()) };
}

/** The first non-empty line pasted on stdin; stdin closing without one leaves the listener to answer. */
function readPasted(input: Readable, pending: PendingAuthorization): { code: Promise<Answer>; close: () => void } {
  const lines = createInterface({ input, terminal: false });
  const code = new Promise<Answer>((ok, fail) => {
    lines.on('line', (line) => {
      const text = line.trim();
      if (!text) return;
      try {
        ok({ code: codeFromInput(text, pending), url: /^https?:\/\//.test(text) ? new URL(text) : undefined });
      } catch (err) {
        fail(err);
      }
    });
  });
  return { code, close: () => lines.close() };
}
