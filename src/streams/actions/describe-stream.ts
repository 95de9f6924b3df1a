import { limits } from '../../core/limits.js';
import { enhancedMonitoring, shardIdOf, shardToWire, streamModeDetails } from '../stream-model.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface DescribeStreamInput extends StreamReference {
  readonly Limit?: number;
  readonly ExclusiveStartShardId?: string;
}

export const describeStream = defineAction<DescribeStreamInput>(
  'DescribeStream',
  async ({ service, scope }, input) => {
    const { record, arn } = service.findStream(scope, input);
    const limit = Math.min(input.Limit ?? limits.describeStreamShardsMax, limits.describeStreamShardsMax);
    const start = input.ExclusiveStartShardId;
    const candidates =
      record.status === 'CREATING'
        ? []
        : service
            .visibleShards(record)
            .filter((shard) => start === undefined || shardIdOf(shard.index) > start);
    const page = candidates.slice(0, limit);
    return {
      StreamDescription: {
        StreamName: record.name,
        StreamARN: arn,
        StreamStatus: record.status,
        StreamModeDetails: streamModeDetails(record),
        Shards: page.map(shardToWire),
        HasMoreShards: candidates.length > page.length,
        RetentionPeriodHours: record.retentionHours,
        StreamCreationTimestamp: new Date(record.createdAtMs),
        EnhancedMonitoring: enhancedMonitoring(record),
        EncryptionType: record.encryptionType,
        KeyId: record.keyId,
      },
    };
  },
);
