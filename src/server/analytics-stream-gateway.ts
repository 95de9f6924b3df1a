/**
 * The analytics runner's and schema discovery's view of Tributary streams, implemented over the
 * Streams actions (ListShards, GetShardIterator, GetRecords, PutRecords) in process: analytics
 * consumes streams exactly as a Kinesis client does, with the same checks, encryption and
 * resharding, without an HTTP hop. Lives in `server/` because it joins two services.
 */
import { parseStreamArn } from '../core/arn.js';
import { resourceNotFound } from '../core/errors.js';
import type { RequestScope } from '../core/request-scope.js';
import type {
  GatewayBatch,
  GatewayShard,
  ShardStart,
  StreamGateway,
} from '../analytics/runner/stream-gateway.js';
import { getRecords } from '../streams/actions/get-records.js';
import { getShardIterator } from '../streams/actions/get-shard-iterator.js';
import { listShards } from '../streams/actions/list-shards.js';
import { putRecords } from '../streams/actions/put-records.js';
import type { StreamsService } from '../streams/streams-service.js';

interface WireShard {
  readonly ShardId: string;
  readonly ParentShardId?: string;
  readonly AdjacentParentShardId?: string;
  readonly SequenceNumberRange: { readonly EndingSequenceNumber?: string };
}

interface WireRecord {
  readonly Data: Buffer;
  readonly PartitionKey: string;
  readonly SequenceNumber: string;
  readonly ApproximateArrivalTimestamp: Date;
}

export class AnalyticsStreamGateway implements StreamGateway {
  readonly #streams: StreamsService;

  constructor(streams: StreamsService) {
    this.#streams = streams;
  }

  async listShards(streamArn: string): Promise<GatewayShard[]> {
    const scope = scopeOf(streamArn);
    const shards: GatewayShard[] = [];
    let nextToken: string | undefined;
    do {
      const input: Record<string, unknown> =
        nextToken === undefined ? { StreamARN: streamArn, MaxResults: 1000 } : { NextToken: nextToken };
      const page = (await listShards.run({ service: this.#streams, scope }, input as never)) as {
        Shards: WireShard[];
        NextToken?: string;
      };
      for (const shard of page.Shards) {
        shards.push({
          shardId: shard.ShardId,
          ...(shard.ParentShardId === undefined ? {} : { parentShardId: shard.ParentShardId }),
          ...(shard.AdjacentParentShardId === undefined
            ? {}
            : { adjacentParentShardId: shard.AdjacentParentShardId }),
          closed: shard.SequenceNumberRange.EndingSequenceNumber !== undefined,
        });
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return shards;
  }

  async shardIterator(streamArn: string, shardId: string, start: ShardStart): Promise<string> {
    const input = {
      StreamARN: streamArn,
      ShardId: shardId,
      ShardIteratorType: start.type,
      ...(start.type === 'AFTER_SEQUENCE_NUMBER' ? { StartingSequenceNumber: start.sequenceNumber } : {}),
      ...(start.type === 'AT_TIMESTAMP' ? { Timestamp: new Date(start.timestampMs) } : {}),
    };
    const output = (await getShardIterator.run(
      { service: this.#streams, scope: scopeOf(streamArn) },
      input as never,
    )) as { ShardIterator: string };
    return output.ShardIterator;
  }

  async getRecords(streamArn: string, iterator: string, limit: number): Promise<GatewayBatch> {
    const output = (await getRecords.run({ service: this.#streams, scope: scopeOf(streamArn) }, {
      ShardIterator: iterator,
      Limit: limit,
    } as never)) as { Records: WireRecord[]; NextShardIterator?: string; MillisBehindLatest: number };
    return {
      records: output.Records.map((record) => ({
        data: record.Data,
        partitionKey: record.PartitionKey,
        sequenceNumber: record.SequenceNumber,
        arrivalMs: record.ApproximateArrivalTimestamp.getTime(),
      })),
      nextIterator: output.NextShardIterator,
      millisBehindLatest: output.MillisBehindLatest,
    };
  }

  async putRecords(
    streamArn: string,
    records: readonly { readonly data: Buffer; readonly partitionKey: string }[],
  ): Promise<readonly number[]> {
    const output = (await putRecords.run({ service: this.#streams, scope: scopeOf(streamArn) }, {
      StreamARN: streamArn,
      Records: records.map((record) => ({ Data: record.data, PartitionKey: record.partitionKey })),
    } as never)) as { Records: { ErrorCode?: string }[] };
    const failed: number[] = [];
    output.Records.forEach((entry, index) => {
      if (entry.ErrorCode !== undefined) failed.push(index);
    });
    return failed;
  }
}

function scopeOf(streamArn: string): RequestScope {
  const parts = parseStreamArn(streamArn);
  if (parts === undefined) throw resourceNotFound(`${streamArn} is not a Kinesis stream ARN.`);
  return { accountId: parts.accountId, region: parts.region };
}
