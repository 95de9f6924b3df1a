/**
 * Pacing and retries for stream readers. A shard allows 5 GetRecords calls per second on AWS, so
 * each shard has a `CallPacer` that spaces its calls; throttling answers
 * (ProvisionedThroughputExceededException, LimitExceededException) are retried after an
 * exponential, jittered backoff that resets on success. Every wait ends early on abort.
 */

/** AWS allows 5 GetRecords calls per second per shard. */
export const getRecordsCallsPerSecondMax = 5;
export const getRecordsSpacingMs = 1000 / getRecordsCallsPerSecondMax;

/** Error names that mean "slow down and try again" for reads and control-plane reads. */
const throttlingErrorNames = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
]);

export function isThrottlingError(error: unknown): boolean {
  return error instanceof Error && throttlingErrorNames.has(error.name);
}

export class AbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortError';
  }
}

/** Resolves after `ms`, or rejects with `AbortedError` as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(new AbortedError());
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Spaces calls at least `spacingMs` apart (start to start), on the monotonic clock. */
export class CallPacer {
  readonly #spacingMs: number;
  #lastCallAtMs = Number.NEGATIVE_INFINITY;

  constructor(spacingMs: number) {
    this.#spacingMs = spacingMs;
  }

  /** Waits for the next slot; answers the slot's time (`performance.now()`). */
  async wait(signal: AbortSignal | undefined): Promise<number> {
    // Timers can fire a little early against performance.now(), so wait out any remainder too.
    for (;;) {
      const waitMs = this.#lastCallAtMs + this.#spacingMs - performance.now();
      if (waitMs <= 0) break;
      await sleepUnlessAborted(Math.ceil(waitMs), signal);
    }
    this.#lastCallAtMs = performance.now();
    return this.#lastCallAtMs;
  }
}

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 200, maxMs: 5000 };

/** Exponential backoff with full jitter over [delay/2, delay]. */
export class Backoff {
  readonly #options: BackoffOptions;
  #attempt = 0;

  constructor(options: BackoffOptions = defaultBackoff) {
    this.#options = options;
  }

  get attempt(): number {
    return this.#attempt;
  }

  reset(): void {
    this.#attempt = 0;
  }

  nextDelayMs(): number {
    const ceilingMs = Math.min(this.#options.maxMs, this.#options.initialMs * 2 ** this.#attempt);
    this.#attempt++;
    return ceilingMs / 2 + Math.random() * (ceilingMs / 2);
  }
}

/**
 * Runs `call`, retrying throttling errors with backoff for as long as it takes (a reader keeps
 * reading); any other error is thrown. `onThrottled` sees each retry.
 */
export async function retryThrottled<T>(
  call: () => Promise<T>,
  signal: AbortSignal | undefined,
  onThrottled?: (error: Error, delayMs: number) => void,
): Promise<T> {
  const backoff = new Backoff();
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottlingError(error)) throw error;
      const delayMs = backoff.nextDelayMs();
      onThrottled?.(error as Error, delayMs);
      await sleepUnlessAborted(delayMs, signal);
    }
  }
}
