/**
 * Fault injection for testing retry code (`--fault-throttle-rate`, `--fault-internal-rate`): that
 * fraction of data-plane requests answers ProvisionedThroughputExceededException (400) or
 * InternalFailure (500) before doing anything. The draws come from a seeded generator
 * (`--fault-seed`), so a run with the same requests in the same order fails the same ones.
 */
import { assert } from '../../core/assert.js';
import { internalFailure, ServiceError } from '../../core/errors.js';
import type { RequestScope } from '../../core/request-scope.js';

export const dataPlaneOperations: ReadonlySet<string> = new Set([
  'PutRecord',
  'PutRecords',
  'GetRecords',
  'GetShardIterator',
]);

export class FaultInjector {
  readonly throttleRate: number;
  readonly internalRate: number;
  #state: number;

  constructor(options: { throttleRate: number; internalRate: number; seed: number }) {
    assert(options.throttleRate >= 0 && options.internalRate >= 0, 'fault rates are fractions');
    assert(options.throttleRate + options.internalRate <= 1, 'fault rates add up to at most 1');
    this.throttleRate = options.throttleRate;
    this.internalRate = options.internalRate;
    this.#state = options.seed >>> 0;
  }

  get active(): boolean {
    return this.throttleRate > 0 || this.internalRate > 0;
  }

  /** Throws the injected fault for this request, if it draws one. */
  maybeFail(operation: string, scope: RequestScope, input: Readonly<Record<string, unknown>>): void {
    if (!this.active || !dataPlaneOperations.has(operation)) return;
    const draw = this.#next();
    if (draw < this.throttleRate) {
      const streamName = typeof input.StreamName === 'string' ? input.StreamName : undefined;
      throw new ServiceError(
        'ProvisionedThroughputExceededException',
        streamName === undefined
          ? `Rate exceeded for account ${scope.accountId}.`
          : `Rate exceeded for stream ${streamName} under account ${scope.accountId}.`,
      );
    }
    if (draw < this.throttleRate + this.internalRate) throw internalFailure();
  }

  /** mulberry32: a small, well-mixed 32-bit generator; uniform in [0, 1). */
  #next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
