import { invalidArgument, resourceInUse, ServiceError } from '../../core/errors.js';
import { uniformHashKeyRanges } from '../../core/hash-key.js';
import { limits } from '../../core/limits.js';
import { checkShardLimit } from '../streams-service.js';
import { streamKey, type ShardRecord, type StreamMode, type StreamRecord } from '../stream-model.js';
import { checkWarmThroughputAllowed, shardCountForWarmThroughput } from '../warm-throughput.js';
import type { RecordDistributionStrategy } from '../shapes.sdk-additions.js';
import { checkStreamsTransitioning } from '../throughput/stream-quotas.js';
import { defineAction } from './action.js';
import { autoNeedsOnDemand } from './update-stream-record-distribution-strategy.js';

interface CreateStreamInput {
  readonly StreamName: string;
  readonly ShardCount?: number;
  readonly StreamModeDetails?: { readonly StreamMode: StreamMode };
  readonly Tags?: Record<string, string>;
  readonly WarmThroughputMiBps?: number;
  readonly MaxRecordSizeInKiB?: number;
  readonly RecordDistributionStrategy?: RecordDistributionStrategy;
}

export const createStream = defineAction<CreateStreamInput>(
  'CreateStream',
  async ({ service, scope }, input) => {
    const mode = input.StreamModeDetails?.StreamMode ?? 'PROVISIONED';
    if (mode === 'ON_DEMAND' && input.ShardCount !== undefined) {
      throw new ServiceError('ValidationException', 'ShardCount is not expected when StreamMode=ON_DEMAND');
    }
    const auto = input.RecordDistributionStrategy === 'AUTO';
    if (auto && mode !== 'ON_DEMAND') throw autoNeedsOnDemand();
    const warm = input.WarmThroughputMiBps;
    if (warm !== undefined) {
      const message =
        'Warm throughput requires an on-demand stream and an account with MinimumThroughputBillingCommitment enabled.';
      if (mode !== 'ON_DEMAND') throw new ServiceError('ValidationException', message);
      await checkWarmThroughputAllowed(service, scope, warm, message);
    }
    const shardCount =
      mode === 'ON_DEMAND'
        ? warm === undefined
          ? limits.onDemandInitialShardCount
          : shardCountForWarmThroughput(warm)
        : (input.ShardCount ?? limits.defaultShardCount);
    if (shardCount > limits.shardCountMax) {
      throw invalidArgument(
        `ShardCount ${shardCount} exceeds the maximum of ${limits.shardCountMax} shards per stream.`,
      );
    }
    const tags = input.Tags ?? {};
    if (Object.keys(tags).length > limits.tagsPerStreamMax) {
      throw invalidArgument(
        `Failed to create stream ${input.StreamName} under account ${scope.accountId} because a given stream cannot have more than ${limits.tagsPerStreamMax} tags associated with it.`,
      );
    }

    const key = streamKey(scope.accountId, scope.region, input.StreamName);
    await service.mutate(key, async (current) => {
      if (current !== undefined) {
        throw resourceInUse(`Stream ${input.StreamName} under account ${scope.accountId} already exists.`);
      }
      if (mode === 'PROVISIONED') checkShardLimit(service, scope.accountId, scope.region, shardCount);
      checkStreamsTransitioning(service, scope.accountId, scope.region);
      const nowMs = service.clock.nowMs();
      const shards: ShardRecord[] = uniformHashKeyRanges(shardCount).map((range, index) => ({
        index,
        startingHashKey: range.startingHashKey.toString(),
        endingHashKey: range.endingHashKey.toString(),
        createdAtMs: nowMs,
      }));
      const record: StreamRecord = {
        streamId: service.newStreamId(),
        accountId: scope.accountId,
        region: scope.region,
        name: input.StreamName,
        status: 'CREATING',
        mode,
        createdAtMs: nowMs,
        retentionHours: limits.retentionHoursDefault,
        shards,
        nextShardIndex: shardCount,
        tags,
        shardLevelMetrics: [],
        encryptionType: 'NONE',
        maxRecordSizeKiB: input.MaxRecordSizeInKiB ?? 1024,
        ...(warm === undefined ? {} : { warmThroughput: { targetMiBps: warm, currentMiBps: warm } }),
        ...(auto ? { recordDistribution: 'AUTO' as const } : {}),
        transition: { kind: 'create', dueAtMs: nowMs + service.options.transitionDelayMs },
      };
      return { next: record, result: undefined };
    });
    return undefined;
  },
);
