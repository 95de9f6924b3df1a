import { invalidArgument } from '../../core/errors.js';
import {
  checkActive,
  checkOpen,
  checkProvisioned,
  checkShardLimit,
  shardToReshard,
  updating,
} from '../reshard-rules.js';
import { shardIdOf } from '../stream-model.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface SplitShardInput extends StreamReference {
  readonly ShardToSplit: string;
  readonly NewStartingHashKey: string;
}

export const splitShard = defineAction<SplitShardInput>('SplitShard', async ({ service, scope }, input) => {
  return service.changeStream(scope, input, (record) => {
    const shard = shardToReshard(record, input.ShardToSplit);
    checkShardLimit(service, record.accountId, record.region, 1);
    const hashKey = BigInt(input.NewStartingHashKey);
    const start = BigInt(shard.startingHashKey);
    const end = BigInt(shard.endingHashKey);
    if (hashKey <= start + 1n || hashKey >= end) {
      throw invalidArgument(
        `NewStartingHashKey ${input.NewStartingHashKey} used in SplitShard() on shard ${shardIdOf(shard.index)} in stream ${record.name} under account ${record.accountId} is not both greater than one plus the shard's StartingHashKey ${shard.startingHashKey} and less than the shard's EndingHashKey ${shard.endingHashKey}.`,
      );
    }
    checkActive(record);
    checkProvisioned(record, 'SplitShard');
    checkOpen(record, shard);
    const step = { kind: 'split', shardIndex: shard.index, newStartingHashKey: hashKey.toString() } as const;
    return { next: updating(service, record, [step]), result: undefined };
  });
});
