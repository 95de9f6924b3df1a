/**
 * Warm throughput of on-demand streams (CreateStream, UpdateStreamMode and
 * UpdateStreamWarmThroughput with WarmThroughputMiBps): the stream is scaled, through the same
 * resharding as UpdateShardCount, to one open shard per MiB/s of write capacity asked for (at
 * least the on-demand starting four), so that capacity is there before the traffic comes.
 * It needs the account's minimum throughput billing commitment, as on AWS.
 */
import { ServiceError } from '../core/errors.js';
import { limits } from '../core/limits.js';
import type { RequestScope } from '../core/request-scope.js';
import { planUniformScaling, type ReshardStep } from './reshard.js';
import { isOpen, type StreamRecord } from './stream-model.js';
import type { StreamsService } from './streams-service.js';

/** Open shards that carry `mibps` of writes. */
export function shardCountForWarmThroughput(mibps: number): number {
  return Math.min(
    limits.shardCountMax,
    Math.max(limits.onDemandInitialShardCount, Math.ceil(mibps / limits.shardWriteMiBps)),
  );
}

/** The reshard that brings the stream's open shards to what `mibps` needs (none if already so). */
export function warmThroughputSteps(record: StreamRecord, mibps: number): ReshardStep[] {
  const target = shardCountForWarmThroughput(mibps);
  if (record.shards.filter(isOpen).length === target) return [];
  return planUniformScaling(record.shards, record.nextShardIndex, target);
}

/** Warm throughput is refused unless the account has the billing commitment, and up to 10 GiB/s. */
export async function checkWarmThroughputAllowed(
  service: StreamsService,
  scope: RequestScope,
  mibps: number,
  message: string,
): Promise<void> {
  if (!(await service.accountSettings.commitmentEnabled(scope, service.clock.nowMs()))) {
    throw new ServiceError('ValidationException', message);
  }
  if (mibps > limits.warmThroughputMiBpsMax) {
    throw new ServiceError(
      'LimitExceededException',
      `Requested warm throughput of ${mibps} MiBps exceeds the limit of ${limits.warmThroughputMiBpsMax} MiBps for an on-demand stream.`,
    );
  }
}

/** The wire `WarmThroughput` of an on-demand stream: capacity kept warm, or its open shards'. */
export function warmThroughputToWire(record: StreamRecord): { TargetMiBps: number; CurrentMiBps: number } {
  const openMiBps = record.shards.filter(isOpen).length * limits.shardWriteMiBps;
  return {
    TargetMiBps: record.transition?.warmThroughputMiBps ?? record.warmThroughput?.targetMiBps ?? openMiBps,
    CurrentMiBps: record.warmThroughput?.currentMiBps ?? openMiBps,
  };
}
