/**
 * The bridge that lets KinesisStreamAsSource delivery streams read Tributary streams: Firehose's
 * `StreamReader` over the streams service, reading shard logs through the LogStore as GetRecords
 * does and opening records of encrypted streams (`wireRecords`). Lives in the composition root so
 * that neither service imports the other.
 */
import { parseStreamArn } from '../core/arn.js';
import type { SourceRecord, SourceStream, StreamReader } from '../firehose/sources/stream-reader.js';
import { sequenceNumbersOf, wireRecords } from '../streams/actions/get-records.js';
import { logIdOf, shardIdOf } from '../streams/stream-model.js';
import type { StreamsService } from '../streams/streams-service.js';

export function firehoseStreamReader(streams: StreamsService): StreamReader {
  const find = (streamArn: string) => {
    const parts = parseStreamArn(streamArn);
    if (parts === undefined) return undefined;
    const loaded = streams.lookup(parts.accountId, parts.region, parts.streamName);
    if (loaded === undefined || loaded.record.status === 'CREATING' || loaded.record.status === 'DELETING') {
      return undefined;
    }
    return loaded;
  };
  return {
    async describe(streamArn): Promise<SourceStream | undefined> {
      const loaded = find(streamArn);
      if (loaded === undefined) return undefined;
      return {
        streamId: loaded.record.streamId,
        shards: loaded.record.shards.map((shard) => ({
          index: shard.index,
          shardId: shardIdOf(shard.index),
          parentIndexes: [shard.parentIndex, shard.adjacentParentIndex].filter(
            (index): index is number => index !== undefined,
          ),
          ...(shard.endOffset === undefined ? {} : { endOffset: shard.endOffset }),
        })),
      };
    },
    async read(streamArn, streamId, shardIndex, fromOffset, options) {
      const loaded = find(streamArn);
      const shard = loaded?.record.shards.find((candidate) => candidate.index === shardIndex);
      if (loaded === undefined || shard === undefined || loaded.record.streamId !== streamId) {
        return { records: [], nextOffset: fromOffset };
      }
      const logId = logIdOf(loaded.record, shardIndex);
      const [bounds, stored] = await Promise.all([
        streams.logStore.bounds(logId),
        streams.logStore.read(logId, fromOffset, options),
      ]);
      const last = stored[stored.length - 1];
      const nextOffset = last !== undefined ? last.offset + 1 : Math.max(fromOffset, bounds.startOffset);
      const sequenceNumbers = sequenceNumbersOf(shard, stored);
      const opened = (await wireRecords(streams, loaded.record, shard, stored, sequenceNumbers)) as {
        SequenceNumber: string;
        ApproximateArrivalTimestamp: Date;
        Data: Buffer;
        PartitionKey: string;
      }[];
      // wireRecords skips records whose data key is gone (past retention): match by sequence number.
      const offsetBySequence = new Map(
        sequenceNumbers.map((sequenceNumber, index) => [sequenceNumber, stored[index]?.offset ?? 0]),
      );
      const records: SourceRecord[] = opened.map((record) => ({
        offset: offsetBySequence.get(record.SequenceNumber) ?? 0,
        timestampMs: record.ApproximateArrivalTimestamp.getTime(),
        partitionKey: record.PartitionKey,
        sequenceNumber: record.SequenceNumber,
        data: record.Data,
      }));
      return { records, nextOffset };
    },
  };
}
