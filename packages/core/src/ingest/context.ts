import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Source, SourceContext, Stream } from '../contract.js';
import { ConfigError } from '../errors.js';
import { createHttpClient, type HttpClientOptions } from '../http/client.js';
import { readersNoting } from '../files/readers.js';
import type { Logger } from '../log.js';
import { cliName } from '../naming.js';
import { redact } from '../secrets.js';
import { compileValidator } from '../envelope/validate.js';
import type { PreparedStream } from '../envelope/envelope.js';

/** The source's configuration from env and CLI options, checked against its TypeBox schema. */
export function configureSource(source: Source, env: NodeJS.ProcessEnv, options: Record<string, unknown>): unknown {
  const config = source.configure(env, options);
  const check = TypeCompiler.Compile(source.config);
  if (!check.Check(config)) {
    const first = [...check.Errors(config)][0];
    const key = first?.path.replace(/^\//, '').replace(/\//g, '.') || '(root)';
    throw new ConfigError(`${cliName(source)} configuration: ${key}: ${first?.message ?? 'invalid'}`);
  }
  return config;
}

export function envBaseUrl(source: Source, env: NodeJS.ProcessEnv): string | undefined {
  const key = `${source.name.toUpperCase()}_BASE_URL`;
  return env[key]?.trim() || source.baseUrl;
}

export function createSourceContext(
  source: Source,
  config: unknown,
  a: {
    logger: Logger; signal: AbortSignal; root: string; env: NodeJS.ProcessEnv; onWait?: (ms: number, reason: string) => void; onResponse?: (status: number, endpoint: string) => void;
    /** Where ctx.note() collects the run summary's notes. */
    notes?: string[];
    now?: () => Date;
  },
): SourceContext {
  const notes = a.notes;
  const keyed = new Map<string, number>();
  const note = notes
    ? (raw: string, key?: string) => {
        // A note is shown in the summary and stored in bronze_runs: scrubbed like a log line
        // (a source may quote an API's error body, or a URL with its token).
        const text = redact(raw);
        const at = key === undefined ? undefined : keyed.get(key);
        if (at !== undefined) notes[at] = text;
        else if (!notes.includes(text)) {
          if (key !== undefined) keyed.set(key, notes.length);
          notes.push(text);
        }
      }
    : undefined;
  const base: Omit<SourceContext, 'http'> = { logger: a.logger, signal: a.signal, files: readersNoting(() => made.note), now: a.now ?? (() => new Date()), root: a.root, note };
  const options: HttpClientOptions = {
    baseUrl: envBaseUrl(source, a.env) ?? 'http://invalid.localhost/',
    signal: a.signal,
    onWait: a.onWait,
    onResponse: a.onResponse,
    onBudgetWait: a.onWait && ((ms) => a.onWait!(ms, 'rate budget')),
    rateLimit: source.rateLimit,
    usageQuota: source.usageQuota,
    logger: a.logger,
    service: source.name,
    // Per-attempt timeout override, for slow links (and for tests of the timeout path).
    timeoutMs: Number(a.env.BRONZE_HTTP_TIMEOUT_MS) || undefined,
    maxBodyBytes: Number(a.env.BRONZE_HTTP_MAX_BODY_BYTES) || undefined,
    statusAdvice: source.httpAdvice,
  };
  // Token endpoints are called without the source's auth (a 401 there is a refusal, not a renewal).
  const plain = createHttpClient(options);
  const auth = source.auth?.(config as never, { source: source.name, root: a.root, http: plain, logger: a.logger, now: base.now });
  const made: SourceContext = { ...base, http: auth ? createHttpClient({ ...options, auth }) : plain };
  return made;
}

export function prepareStreams(streams: Stream[]): Map<string, PreparedStream> {
  const out = new Map<string, PreparedStream>();
  for (const stream of streams) {
    if (out.has(stream.name)) throw new Error(`stream ${stream.name} is declared twice`);
    out.set(stream.name, { stream, validate: compileValidator(stream.schema) });
  }
  return out;
}
