import { invalidArgument } from '../../core/errors.js';
import { checkActive, checkOpen, checkProvisioned, shardToReshard, updating } from '../reshard-rules.js';
import { shardIdOf } from '../stream-model.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface MergeShardsInput extends StreamReference {
  readonly ShardToMerge: string;
  readonly AdjacentShardToMerge: string;
}

export const mergeShards = defineAction<MergeShardsInput>(
  'MergeShards',
  async ({ service, scope }, input) => {
    return service.changeStream(scope, input, (record) => {
      const left = shardToReshard(record, input.ShardToMerge);
      const right = shardToReshard(record, input.AdjacentShardToMerge);
      // The order matters: the first shard's range must end just below the second's.
      if (BigInt(left.endingHashKey) + 1n !== BigInt(right.startingHashKey)) {
        throw invalidArgument(
          `Shards ${shardIdOf(left.index)} and ${shardIdOf(right.index)} in stream ${record.name} under account ${record.accountId} are not an adjacent pair of shards eligible for merging`,
        );
      }
      checkActive(record);
      checkProvisioned(record, 'MergeShards');
      checkOpen(record, left);
      checkOpen(record, right);
      const step = { kind: 'merge', shardIndex: left.index, adjacentShardIndex: right.index } as const;
      return { next: updating(service, record, [step]), result: undefined };
    });
  },
);
