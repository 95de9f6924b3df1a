import { invalidArgument } from '../../core/errors.js';
import { findShard, offsetOfSequenceNumber } from '../shard-position.js';
import { sealShardIterator } from '../shard-iterator.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

type ShardIteratorType =
  'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

interface GetShardIteratorInput extends StreamReference {
  readonly ShardId: string;
  readonly ShardIteratorType: ShardIteratorType;
  readonly StartingSequenceNumber?: string;
  readonly Timestamp?: Date;
}

const combinationRule =
  'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
  '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber.';

export const getShardIterator = defineAction<GetShardIteratorInput>(
  'GetShardIterator',
  async ({ service, scope }, input) => {
    const found = findShard(service, scope, input, input.ShardId);
    const { loaded, shard, logId } = found;
    const type = input.ShardIteratorType;
    const sequenceNumber = input.StartingSequenceNumber;
    const nowMs = service.clock.nowMs();
    const bounds = await service.logStore.bounds(logId);
    const endOffset = shard.endOffset ?? bounds.endOffset;

    let offset: number;
    switch (type) {
      case 'TRIM_HORIZON':
      case 'LATEST':
        if (sequenceNumber !== undefined) {
          throw invalidArgument(
            `${combinationRule} Request specified ${type} and also a StartingSequenceNumber.`,
          );
        }
        offset = type === 'TRIM_HORIZON' ? bounds.startOffset : endOffset;
        break;
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER':
        if (sequenceNumber === undefined) {
          throw invalidArgument(
            `${combinationRule} Request specified ${type} and no StartingSequenceNumber.`,
          );
        }
        offset = offsetOfSequenceNumber(found, type, sequenceNumber, endOffset);
        break;
      case 'AT_TIMESTAMP': {
        if (input.Timestamp === undefined) {
          throw invalidArgument(
            'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
          );
        }
        const timestampMs = input.Timestamp.getTime();
        if (timestampMs > nowMs) {
          throw invalidArgument(
            `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${timestampMs}, currentTimestampInMillis: ${nowMs}`,
          );
        }
        offset = await service.logStore.offsetAtTimestamp(logId, timestampMs);
        break;
      }
    }

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
