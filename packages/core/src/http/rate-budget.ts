/** A source's declared request budget: at most `requests` per `perMilliseconds`. */
export interface RateLimit {
  requests: number;
  perMilliseconds: number;
}

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Token bucket: holds up to `requests` tokens, refilled continuously at
 * requests/perMilliseconds; each request takes one, waiting for it when the bucket is
 * empty. A burst up to the full budget is allowed, then requests are spaced evenly.
 */
export class RateBudget {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: () => number = Date.now,
    private readonly sleep: Sleep = defaultSleep,
  ) {
    if (!(limit.requests > 0) || !(limit.perMilliseconds > 0)) throw new Error(`rateLimit needs requests > 0 and perMilliseconds > 0`);
    this.tokens = limit.requests;
    this.last = clock();
  }

  /** Waits (if needed) for a token and takes it; callers are served in order. Returns the wait in ms. */
  take(signal?: AbortSignal): Promise<number> {
    const turn = this.queue.then(() => this.takeNow(signal));
    this.queue = turn.then(() => undefined, () => undefined);
    return turn;
  }

  private async takeNow(signal?: AbortSignal): Promise<number> {
    this.refill();
    let waited = 0;
    if (this.tokens < 1) {
      const perToken = this.limit.perMilliseconds / this.limit.requests;
      waited = Math.ceil((1 - this.tokens) * perToken);
      await this.sleep(waited, signal);
      this.refill();
      this.tokens = Math.max(this.tokens, 1);
    }
    this.tokens -= 1;
    return waited;
  }

  private refill(): void {
    const now = this.clock();
    const rate = this.limit.requests / this.limit.perMilliseconds;
    this.tokens = Math.min(this.limit.requests, this.tokens + Math.max(0, now - this.last) * rate);
    this.last = now;
  }
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
