import type { ApiMeta } from '../contract.js';
import { BronzeError } from '../errors.js';
import { redact } from '../secrets.js';
import type { HttpClient, HttpRequest, HttpResponse } from './types.js';

export interface HttpClientOptions {
  baseUrl: string;
  /** Added to every request (auth); never logged. */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  maxAttempts?: number;
  signal?: AbortSignal;
  apiVersion?: string;
  /** Longest wait honoured from Retry-After before giving up, default 5 minutes. */
  maxWaitMs?: number;
  onWait?: (ms: number, reason: string) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class HttpError extends BronzeError {
  constructor(
    message: string,
    readonly status: number,
    readonly endpoint: string,
  ) {
    super(redact(message));
  }
}

const RATE_HEADERS = /^(x-ratelimit-|x-rate-limit-|ratelimit|retry-after|x-toggl-quota-)/i;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function endpointOf(url: URL): string {
  return `${url.pathname}${url.search}`;
}

export function createHttpClient(o: HttpClientOptions): HttpClient {
  const maxAttempts = o.maxAttempts ?? 5;
  const wait = o.sleep ?? sleep;
  return {
    async json<T>(req: HttpRequest): Promise<HttpResponse<T>> {
      const url = new URL(req.path, o.baseUrl.endsWith('/') ? o.baseUrl : `${o.baseUrl}/`);
      for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
      const endpoint = endpointOf(url);
      for (let attempt = 1; ; attempt++) {
        let res: Response;
        try {
          res = await fetch(url, {
            method: req.method ?? 'GET',
            headers: { accept: 'application/json', ...(await o.headers?.()), ...req.headers, ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
            body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
            signal: AbortSignal.any([AbortSignal.timeout(req.timeoutMs ?? 30_000), ...(o.signal ? [o.signal] : [])]),
          });
        } catch (err) {
          if (o.signal?.aborted) throw err;
          if (attempt >= maxAttempts) throw new HttpError(`${req.method ?? 'GET'} ${endpoint} failed after ${attempt} attempts: ${(err as Error).message}`, 0, endpoint);
          const ms = Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
          o.onWait?.(ms, 'network error');
          await wait(ms, o.signal);
          continue;
        }
        const api: ApiMeta = {
          endpoint,
          status: res.status,
          requestId: res.headers.get('x-request-id') ?? res.headers.get('x-github-request-id') ?? undefined,
          version: o.apiVersion,
          rateLimit: Object.fromEntries([...res.headers].filter(([k]) => RATE_HEADERS.test(k))),
        };
        if (res.status === 429 || res.status >= 500) {
          await res.body?.cancel();
          if (attempt >= maxAttempts) throw new HttpError(`${req.method ?? 'GET'} ${endpoint} answered ${res.status} after ${attempt} attempts`, res.status, endpoint);
          const ms = retryAfterMs(res.headers.get('retry-after')) ?? Math.min(60_000, 1000 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
          if (ms > (o.maxWaitMs ?? 300_000)) throw new HttpError(`${endpoint} asks to wait ${Math.round(ms / 1000)} s (status ${res.status}); try again later`, res.status, endpoint);
          o.onWait?.(ms, `status ${res.status}`);
          await wait(ms, o.signal);
          continue;
        }
        const text = await res.text();
        if (!res.ok) throw new HttpError(`${req.method ?? 'GET'} ${endpoint} answered ${res.status}: ${text.slice(0, 200)}`, res.status, endpoint);
        let body: T;
        try {
          body = (text === '' ? null : JSON.parse(text)) as T;
        } catch (err) {
          if (attempt >= maxAttempts) throw new HttpError(`${endpoint} returned malformed JSON (${(err as Error).message})`, res.status, endpoint);
          await wait(Math.min(30_000, 500 * 2 ** (attempt - 1)), o.signal);
          continue;
        }
        return { status: res.status, headers: res.headers, body, api };
      }
    },
  };
}
