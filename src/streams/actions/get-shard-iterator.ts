import { refuseDryRun } from '../../core/errors.js';
import { findShard, startingOffset, type ShardIteratorType } from '../shard-position.js';
import { sealShardIterator } from '../shard-iterator.js';
import { logIdOf } from '../stream-model.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface GetShardIteratorInput extends StreamReference {
  readonly ShardId: string;
  readonly ShardIteratorType: ShardIteratorType;
  readonly StartingSequenceNumber?: string;
  readonly Timestamp?: Date;
  readonly DryRun?: boolean;
}

export const getShardIterator = defineAction<GetShardIteratorInput>(
  'GetShardIterator',
  async ({ service, scope }, input) => {
    const found = findShard(service, scope, input, input.ShardId);
    const { loaded, shard } = found;
    service.limits.admitIterator(loaded.record, shard.index, logIdOf(loaded.record, shard.index));
    const nowMs = service.clock.nowMs();
    const offset = await startingOffset(
      service,
      found,
      input.ShardIteratorType,
      input.StartingSequenceNumber,
      input.Timestamp,
    );
    refuseDryRun(input);
    return {
      ShardIterator: sealShardIterator(service.sealer, {
        accountId: loaded.record.accountId,
        region: loaded.record.region,
        streamName: loaded.record.name,
        streamCreatedMs: loaded.record.createdAtMs,
        shardIndex: shard.index,
        offset,
        issuedMs: nowMs,
      }),
    };
  },
);
