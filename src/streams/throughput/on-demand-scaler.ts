/**
 * On-demand capacity, as AWS documents it: a new on-demand stream has 4 shards (4 MiB/s of
 * writes), and the stream is given room for twice the peak write rate it sustained in the last
 * 30 days. Every `intervalMs` the scaler measures each stream's admitted writes (bytes and
 * records, from `StreamLimits.takeWriteLoad`), keeps the peak over `windowMs`, and when an ACTIVE
 * ON_DEMAND stream has fewer open shards than twice that peak needs, reshards it up (UPDATING,
 * through the same uniform resharding as UpdateShardCount, at most doubling per step).
 *
 * It never scales down: AWS does not document when on-demand capacity shrinks, and a peak
 * still inside the window keeps its capacity anyway. Runs only with `--limits aws`.
 */
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import { planUniformScaling } from '../reshard.js';
import { updating } from '../reshard-rules.js';
import { isOpen, type StreamRecord } from '../stream-model.js';
import type { LoadedStream, Logger, StreamsService } from '../streams-service.js';
import { SlidingPeak } from './sliding-peak.js';

export interface OnDemandScalerOptions {
  readonly intervalMs: number;
  readonly windowMs: number;
}

interface StreamPeaks {
  readonly bytesPerSecond: SlidingPeak;
  readonly recordsPerSecond: SlidingPeak;
}

/** Open shards that carry twice the peak rates (at least the on-demand starting count). */
export function onDemandShardTarget(peakBytesPerSecond: number, peakRecordsPerSecond: number): number {
  const factor = limits.onDemandPeakFactor;
  return Math.min(
    limits.shardCountMax,
    Math.max(
      limits.onDemandInitialShardCount,
      Math.ceil((factor * peakBytesPerSecond) / limits.shardWriteBytesPerSecond),
      Math.ceil((factor * peakRecordsPerSecond) / limits.shardWriteRecordsPerSecond),
    ),
  );
}

export class OnDemandScaler {
  readonly #service: StreamsService;
  readonly #clock: Clock;
  readonly #options: OnDemandScalerOptions;
  readonly #log: Logger;
  readonly #peaks = new Map<string, StreamPeaks>();
  #lastTickMs: number;
  #cancel: (() => void) | undefined;
  #stopped = false;

  constructor(service: StreamsService, options: OnDemandScalerOptions, logger: Logger) {
    this.#service = service;
    this.#clock = service.clock;
    this.#options = options;
    this.#log = logger;
    this.#lastTickMs = this.#clock.nowMs();
  }

  start(): void {
    this.#lastTickMs = this.#clock.nowMs();
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#cancel = this.#clock.schedule(this.#options.intervalMs, () => {
      this.tick()
        .catch((error: unknown) => this.#log('on-demand scaling failed', { error: String(error) }))
        .finally(() => this.#schedule());
    });
  }

  /** Measures the writes since the last tick and scales the streams that need it. */
  async tick(): Promise<void> {
    const nowMs = this.#clock.nowMs();
    const elapsedSeconds = Math.max(1, nowMs - this.#lastTickMs) / 1000;
    this.#lastTickMs = nowMs;
    for (const [key, load] of this.#service.limits.takeWriteLoad()) {
      // Only on-demand streams keep peaks: provisioned ones never scale by themselves.
      if (this.#streamOf(key)?.record.mode !== 'ON_DEMAND') {
        this.#peaks.delete(key);
        continue;
      }
      let peaks = this.#peaks.get(key);
      if (peaks === undefined) {
        peaks = {
          bytesPerSecond: new SlidingPeak(this.#options.windowMs),
          recordsPerSecond: new SlidingPeak(this.#options.windowMs),
        };
        this.#peaks.set(key, peaks);
      }
      peaks.bytesPerSecond.add(nowMs, load.bytes / elapsedSeconds);
      peaks.recordsPerSecond.add(nowMs, load.records / elapsedSeconds);
    }
    for (const [key, peaks] of this.#peaks) {
      const peakBytes = peaks.bytesPerSecond.peak(nowMs);
      const peakRecords = peaks.recordsPerSecond.peak(nowMs);
      if (peakBytes === 0 && peakRecords === 0) {
        this.#peaks.delete(key);
        continue;
      }
      await this.#scale(key, onDemandShardTarget(peakBytes, peakRecords));
    }
  }

  #streamOf(key: string): LoadedStream | undefined {
    const [, accountId, region, name] = key.split('/');
    if (accountId === undefined || region === undefined || name === undefined) return undefined;
    return this.#service.lookup(accountId, region, name);
  }

  async #scale(key: string, wanted: number): Promise<void> {
    const found = this.#streamOf(key);
    if (found === undefined || found.record.mode !== 'ON_DEMAND') {
      this.#peaks.delete(key);
      return;
    }
    if (!needsScaling(found.record, wanted)) return;
    const streamId = found.record.streamId;
    await this.#service.mutate(key, async (current) => {
      const record = current?.record;
      if (record === undefined || record.streamId !== streamId || !needsScaling(record, wanted)) {
        return { result: undefined };
      }
      const open = record.shards.filter(isOpen).length;
      const target = Math.min(wanted, open * 2);
      this.#log('scaling on-demand stream', {
        stream: record.name,
        account: record.accountId,
        from: open,
        to: target,
      });
      const steps = planUniformScaling(record.shards, record.nextShardIndex, target);
      return { next: updating(this.#service, record, steps), result: undefined };
    });
  }
}

function needsScaling(record: StreamRecord, wanted: number): boolean {
  return (
    record.mode === 'ON_DEMAND' && record.status === 'ACTIVE' && record.shards.filter(isOpen).length < wanted
  );
}
