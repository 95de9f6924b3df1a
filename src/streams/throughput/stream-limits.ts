/**
 * The limits of Kinesis Data Streams as one part: with `--limits aws` (the default) per-shard
 * throughput, control-plane rates and the concurrency and per-day limits of AWS; with `off`,
 * none of them (the benchmark, or tests that create streams in bursts). Fault injection works in
 * either mode. Actions ask this object; nothing else keeps rate state.
 */
import type { Clock } from '../../core/clock.js';
import type { RequestScope } from '../../core/request-scope.js';
import { ControlPlaneRates } from './control-plane-rates.js';
import { FaultInjector } from './fault-injector.js';
import { ShardThroughput, type StreamIdentity, type ThrottleListener } from './shard-throughput.js';

export const limitModes = ['aws', 'off'] as const;
export type LimitMode = (typeof limitModes)[number];

export interface StreamLimitsOptions {
  readonly mode: LimitMode;
  /** Fractions (0..1) of data-plane requests that fail on purpose. */
  readonly faultThrottleRate: number;
  readonly faultInternalRate: number;
  readonly faultSeed: number;
  /** Told of every data-plane throttle (for the *ProvisionedThroughputExceeded metrics). */
  readonly onThrottle?: ThrottleListener;
}

export const limitsOff: StreamLimitsOptions = {
  mode: 'off',
  faultThrottleRate: 0,
  faultInternalRate: 0,
  faultSeed: 1,
};

export class StreamLimits {
  readonly mode: LimitMode;
  readonly #shards: ShardThroughput | undefined;
  readonly #rates: ControlPlaneRates | undefined;
  readonly #faults: FaultInjector;
  /** Bytes and records admitted per stream (catalog key) since the on-demand scaler last looked. */
  #writeLoad = new Map<string, { bytes: number; records: number }>();

  constructor(clock: Clock, options: StreamLimitsOptions) {
    this.mode = options.mode;
    const onThrottle = options.onThrottle ?? (() => undefined);
    this.#shards = options.mode === 'aws' ? new ShardThroughput(clock, onThrottle) : undefined;
    this.#rates = options.mode === 'aws' ? new ControlPlaneRates(clock) : undefined;
    this.#faults = new FaultInjector({
      throttleRate: options.faultThrottleRate,
      internalRate: options.faultInternalRate,
      seed: options.faultSeed,
    });
  }

  /** True with `--limits aws`: the per-day and concurrency limits apply too. */
  get enforced(): boolean {
    return this.mode === 'aws';
  }

  /** Before any operation runs: injected faults, then the control-plane rate. */
  admitRequest(operation: string, scope: RequestScope, input: Readonly<Record<string, unknown>>): void {
    this.#faults.maybeFail(operation, scope, input);
    this.#rates?.admit(operation, scope, input);
  }

  admitWrite(
    stream: StreamIdentity,
    shardIndex: number,
    logId: string,
    bytes: number,
    operation: 'PutRecord' | 'PutRecords',
  ): { errorCode: string; errorMessage: string } | undefined {
    return this.#shards?.admitWrite(stream, shardIndex, logId, bytes, operation);
  }

  /** Counts an admitted record of `bytes` toward its stream's write load (on-demand scaling). */
  recordWrite(streamKey: string, bytes: number): void {
    if (this.mode !== 'aws') return;
    const load = this.#writeLoad.get(streamKey);
    if (load === undefined) this.#writeLoad.set(streamKey, { bytes, records: 1 });
    else {
      load.bytes += bytes;
      load.records += 1;
    }
  }

  /** The write load per stream since the last call, and a fresh count from now on. */
  takeWriteLoad(): ReadonlyMap<string, { readonly bytes: number; readonly records: number }> {
    const load = this.#writeLoad;
    this.#writeLoad = new Map();
    return load;
  }

  admitRead(stream: StreamIdentity, shardIndex: number, logId: string): void {
    this.#shards?.admitRead(stream, shardIndex, logId);
  }

  chargeRead(logId: string, bytes: number): void {
    this.#shards?.chargeRead(logId, bytes);
  }

  admitIterator(stream: StreamIdentity, shardIndex: number, logId: string): void {
    this.#shards?.admitIterator(stream, shardIndex, logId);
  }
}
