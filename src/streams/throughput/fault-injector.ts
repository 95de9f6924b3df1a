/**
 * Fault injection for testing retry code (`--fault-throttle-rate`, `--fault-internal-rate`): that
 * fraction of data-plane requests answers ProvisionedThroughputExceededException (400) or
 * InternalFailure (500) before doing anything. The draws come from a seeded generator
 * (`--fault-seed`), so a run with the same requests in the same order fails the same ones.
 */
import { assert } from '../../core/assert.js';
import { internalFailure, ServiceError } from '../../core/errors.js';
import type { RequestScope } from '../../core/request-scope.js';
import { seededRandom } from '../../core/seeded-random.js';

export const dataPlaneOperations: ReadonlySet<string> = new Set([
  'PutRecord',
  'PutRecords',
  'GetRecords',
  'GetShardIterator',
]);

export class FaultInjector {
  readonly throttleRate: number;
  readonly internalRate: number;
  readonly #next: () => number;

  constructor(options: { throttleRate: number; internalRate: number; seed: number }) {
    assert(options.throttleRate >= 0 && options.internalRate >= 0, 'fault rates are fractions');
    assert(options.throttleRate + options.internalRate <= 1, 'fault rates add up to at most 1');
    this.throttleRate = options.throttleRate;
    this.internalRate = options.internalRate;
    this.#next = seededRandom(options.seed);
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
}
