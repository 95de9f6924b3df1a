/**
 * Finding a shard named in a request, and turning iterator types into log offsets. A sequence
 * number's counter is the record's offset plus one, so positions are found by arithmetic, never
 * by looking for an exact record: the shard's StartingSequenceNumber, a checkpoint or a
 * ContinuationSequenceNumber all work.
 */
import { invalidArgument, resourceNotFound } from '../core/errors.js';
import { endingCounter, parseSequenceNumber } from './sequence-number.js';
import {
  logIdOf,
  parseShardReference,
  shardCreatedSeconds,
  shardIdOf,
  type ShardRecord,
} from './stream-model.js';
import type { LoadedStream, RequestScope, StreamReference, StreamsService } from './streams-service.js';

export interface FoundShard {
  readonly loaded: LoadedStream;
  readonly shard: ShardRecord;
  readonly logId: string;
}

export function shardNotFound(shardId: string, streamName: string, accountId: string): Error {
  return resourceNotFound(
    `Shard ${shardId} in stream ${streamName} under account ${accountId} does not exist`,
  );
}

/** The shard a data-plane request names, in a stream that takes data-plane calls. */
export function findShard(
  service: StreamsService,
  scope: RequestScope,
  reference: StreamReference,
  shardReference: string,
): FoundShard {
  const { accountId, region, name } = service.scopeOf(scope, reference);
  const index = parseShardReference(shardReference);
  if (index === undefined) {
    throw resourceNotFound(
      `Could not find shard ${shardReference} in stream ${name} under account ${accountId}.`,
    );
  }
  const loaded = service.lookup(accountId, region, name);
  const shard = loaded?.record.shards.find((candidate) => candidate.index === index);
  if (loaded === undefined || shard === undefined || !takesDataCalls(loaded)) {
    throw shardNotFound(shardIdOf(index), name, accountId);
  }
  return { loaded, shard, logId: logIdOf(loaded.record, shard.index) };
}

export function takesDataCalls(loaded: LoadedStream): boolean {
  return loaded.record.status !== 'CREATING';
}

/** The offset of the first record with sequence number >= (AT) or > (AFTER) the given one. */
export function offsetOfSequenceNumber(
  found: FoundShard,
  type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER',
  sequenceNumber: string,
  endOffset: number,
): number {
  const { loaded, shard } = found;
  const shardId = shardIdOf(shard.index);
  const where = `on shard ${shardId} in stream ${loaded.record.name} under account ${loaded.record.accountId}`;
  const parts = parseSequenceNumber(sequenceNumber);
  if (parts === undefined) {
    throw invalidArgument(
      `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator ${where} is invalid.`,
    );
  }
  if (parts.shardIndex !== shard.index) {
    throw invalidArgument(
      `Invalid StartingSequenceNumber. It encodes ${shardIdOf(parts.shardIndex)}, while it was used in a call to a shard with ${shardId}`,
    );
  }
  if (parts.shardCreatedSeconds !== shardCreatedSeconds(shard)) {
    throw invalidArgument(
      `StartingSequenceNumber ${sequenceNumber} used in GetShardIterator ${where} is invalid because it did not come from this stream.`,
    );
  }
  if (parts.counter === endingCounter) {
    if (type === 'AFTER_SEQUENCE_NUMBER') {
      throw invalidArgument(
        'Invalid SequenceNumber for ShardIteratorType AFTER_SEQUENCE_NUMBER, SequenceNumber has reached max possible value for the shard.',
      );
    }
    return endOffset;
  }
  const counter = Number(parts.counter);
  if (type === 'AT_SEQUENCE_NUMBER') return Math.max(0, counter - 1);
  return counter;
}

export type ShardIteratorType =
  'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

const combinationRule =
  'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
  '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber.';

/**
 * The log offset a reader starts at, for GetShardIterator's iterator types and
 * SubscribeToShard's StartingPosition (same rules and texts).
 */
export async function startingOffset(
  service: StreamsService,
  found: FoundShard,
  type: ShardIteratorType,
  sequenceNumber: string | undefined,
  timestamp: Date | undefined,
): Promise<number> {
  const { shard, logId } = found;
  const bounds = await service.logStore.bounds(logId);
  const endOffset = shard.endOffset ?? bounds.endOffset;
  switch (type) {
    case 'TRIM_HORIZON':
    case 'LATEST':
      if (sequenceNumber !== undefined) {
        throw invalidArgument(
          `${combinationRule} Request specified ${type} and also a StartingSequenceNumber.`,
        );
      }
      return type === 'TRIM_HORIZON' ? bounds.startOffset : endOffset;
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER':
      if (sequenceNumber === undefined) {
        throw invalidArgument(`${combinationRule} Request specified ${type} and no StartingSequenceNumber.`);
      }
      return offsetOfSequenceNumber(found, type, sequenceNumber, endOffset);
    case 'AT_TIMESTAMP': {
      if (timestamp === undefined) {
        throw invalidArgument(
          'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
        );
      }
      const timestampMs = timestamp.getTime();
      const nowMs = service.clock.nowMs();
      if (timestampMs > nowMs) {
        throw invalidArgument(
          `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${timestampMs}, currentTimestampInMillis: ${nowMs}`,
        );
      }
      return service.logStore.offsetAtTimestamp(logId, timestampMs);
    }
  }
}
