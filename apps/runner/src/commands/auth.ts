import { createServer, type Server } from 'node:http';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  codeFromInput, completeAuthorization, ConfigError, configureSource, createHttpClient, createLogger, ExitCode, loadEnv, projectRoot, startAuthorization,
  type CliIo, type PendingAuthorization, type Source,
} from '@bronze/core';
import { sources } from '../sources.js';

const DEFAULT_PORT = 8765;

/**
 * `bronze auth <source> [--port N]`: the one-time OAuth2 sign-in of a source that declares
 * authorize(). Prints the authorize URL, then takes the code from whichever comes first: the
 * browser's redirect to http://127.0.0.1:<port>/callback (a one-shot listener), or a line
 * pasted on stdin (the code, or the whole redirect URL). The tokens go where the source's
 * runs read them, mode 0600.
 */
export function authCommand(input: Readable = process.stdin) {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const { positionals, values } = flags(argv);
    const source = pick(positionals[0]);
    if (!source.authorize) throw new ConfigError(`source '${source.name}' has no sign-in (it does not use OAuth2)`);
    const port = Number(values.port ?? DEFAULT_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError(`--port: expected a port number, got '${values.port}'`);
    const root = projectRoot();
    loadEnv(root);
    const spec = source.authorize(configureSource(source, process.env, {}) as never);
    const pending = startAuthorization(spec, `http://127.0.0.1:${port}/callback`);
    const logger = createLogger({ level: values.verbose ? 'debug' : 'warn' });

    const listener = await listen(port, pending);
    const pasted = readPasted(input, pending);
    io.out(`Open this URL in a browser and authorize bronze:\n\n  ${pending.url}\n`);
    io.out(`Waiting for the redirect to ${pending.redirectUri} (register it as the app's callback), or paste the code or the whole redirect URL here:`);
    let code: string;
    try {
      code = await Promise.race([listener.code, pasted.code]);
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
  try {
    return parseArgs({ args: argv, options: { port: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0]);
  }
}

function pick(name: string | undefined): Source {
  const signIn = Object.values(sources).filter((s) => s.authorize).map((s) => s.name).join(', ');
  if (!name) throw new ConfigError(`name the source to sign in to (${signIn})`);
  const s = Object.values(sources).find((x) => x.name === name.replace(/-/g, '_'));
  if (!s) throw new ConfigError(`unknown source '${name}' (sources with a sign-in: ${signIn})`);
  return s;
}

/** The one-shot listener: the first /callback carrying this sign-in's state settles it. */
async function listen(port: number, pending: PendingAuthorization): Promise<{ code: Promise<string>; close: () => void }> {
  let settle!: { ok: (code: string) => void; fail: (err: Error) => void };
  const code = new Promise<string>((ok, fail) => (settle = { ok, fail }));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', pending.redirectUri);
    if (url.pathname !== '/callback') return void res.writeHead(404).end();
    try {
      const got = codeFromInput(url.toString(), pending);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('bronze: authorized. You can close this tab and return to the terminal.\n');
      settle.ok(got);
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
function readPasted(input: Readable, pending: PendingAuthorization): { code: Promise<string>; close: () => void } {
  const lines = createInterface({ input, terminal: false });
  const code = new Promise<string>((ok, fail) => {
    lines.on('line', (line) => {
      if (!line.trim()) return;
      try {
        ok(codeFromInput(line, pending));
      } catch (err) {
        fail(err);
      }
    });
  });
  return { code, close: () => lines.close() };
}
