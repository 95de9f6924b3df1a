/**
 * KinesisStreamAsSource: reads a Tributary stream from its oldest retained record, shard by
 * shard, following resharding: a child shard is read only once all its parents were read to
 * their end (parents before children, so records of one partition key stay in order). Each
 * delivery stream keeps its own position per shard in its checkpoint.
 *
 * KPL aggregated records are de-aggregated: each user record becomes one Firehose record. A
 * record that carries the KPL magic but does not parse is delivered as it is, as the KCL does.
 *
 * If the stream is deleted, reading stops; a stream later re-created under the same ARN is another
 * stream (its id differs) and is not read, as AWS does not re-attach either.
 */
import { deaggregate, isAggregated } from '../../core/kpl-aggregation.js';
import { AggregationFormatError } from '../../core/kpl-aggregation.js';
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import type { BufferedRecord } from '../delivery/delivery-buffer.js';
import type { DeliverySource, SourcePosition } from '../delivery/source-position.js';
import type { SourceShard, StreamReader } from './stream-reader.js';

export class KinesisStreamSource implements DeliverySource {
  readonly #reader: StreamReader;
  readonly #streamArn: string;
  readonly #clock: Clock;
  #streamId: string | undefined;
  readonly #offsets = new Map<number, number>();

  constructor(reader: StreamReader, streamArn: string, clock: Clock, checkpoint: SourcePosition | undefined) {
    this.#reader = reader;
    this.#streamArn = streamArn;
    this.#clock = clock;
    if (checkpoint?.kind === 'kinesis') {
      this.#streamId = checkpoint.streamId;
      for (const [index, offset] of Object.entries(checkpoint.shards))
        this.#offsets.set(Number(index), offset);
    }
  }

  async readMore(maxBytes: number): Promise<BufferedRecord[]> {
    const stream = await this.#reader.describe(this.#streamArn);
    if (stream === undefined) return [];
    if (this.#streamId === undefined) this.#streamId = stream.streamId;
    if (stream.streamId !== this.#streamId) return [];
    const readable = readableShards(stream.shards, (shard) => this.#finished(shard));
    const records: BufferedRecord[] = [];
    let bytes = 0;
    for (const shard of readable) {
      if (bytes >= maxBytes) break;
      const fromOffset = this.#offsets.get(shard.index) ?? 0;
      const read = await this.#reader.read(this.#streamArn, stream.streamId, shard.index, fromOffset, {
        maxRecords: limits.deliveryReadRecordsMax,
        maxBytes: Math.max(1, Math.min(maxBytes - bytes, limits.deliveryReadBytesMax)),
      });
      this.#offsets.set(shard.index, read.nextOffset);
      const arrivalMs = this.#clock.nowMs();
      for (const record of read.records) {
        userRecords(record.data, record.partitionKey).forEach((user, subsequenceNumber) => {
          records.push({
            data: user.data,
            arrivalMs,
            sequenceNumber: record.sequenceNumber,
            kinesis: {
              shardId: shard.shardId,
              partitionKey: user.partitionKey,
              approximateArrivalTimestamp: record.timestampMs,
              sequenceNumber: record.sequenceNumber,
              subsequenceNumber,
            },
          });
          bytes += user.data.length;
        });
      }
    }
    return records;
  }

  #finished(shard: SourceShard): boolean {
    return shard.endOffset !== undefined && (this.#offsets.get(shard.index) ?? 0) >= shard.endOffset;
  }

  position(): SourcePosition {
    const shards: Record<string, number> = {};
    for (const [index, offset] of [...this.#offsets].sort((a, b) => a[0] - b[0]))
      shards[String(index)] = offset;
    return { kind: 'kinesis', streamId: this.#streamId, shards };
  }

  async delivered(_position: SourcePosition): Promise<void> {
    // The stream's own retention drops its data; nothing to release here.
  }
}

/**
 * Shards that may be read now: not yet read to their end, and whose parents (those still
 * listed) have all been read to their end.
 */
export function readableShards(
  shards: readonly SourceShard[],
  finished: (shard: SourceShard) => boolean,
): SourceShard[] {
  const byIndex = new Map(shards.map((shard) => [shard.index, shard]));
  return shards
    .filter((shard) => !finished(shard))
    .filter((shard) =>
      shard.parentIndexes.every((parentIndex) => {
        const parent = byIndex.get(parentIndex);
        return parent === undefined || finished(parent);
      }),
    )
    .sort((a, b) => a.index - b.index);
}

function userRecords(data: Buffer, partitionKey: string): { data: Buffer; partitionKey: string }[] {
  if (!isAggregated(data)) return [{ data, partitionKey }];
  try {
    return deaggregate(data, partitionKey).map((record) => ({
      data: record.data,
      partitionKey: record.partitionKey,
    }));
  } catch (error) {
    if (error instanceof AggregationFormatError) return [{ data, partitionKey }];
    throw error;
  }
}
