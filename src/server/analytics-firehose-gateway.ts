/**
 * Analytics over Firehose delivery streams, behind the runner's `StreamGateway`: a
 * KinesisFirehoseInput reads the delivery stream's Direct PUT log (one "shard",
 * `shardId-000000000000`, whose sequence numbers are log offsets), or, for a delivery stream that
 * reads a Kinesis stream, that stream; a KinesisFirehoseOutput is written with PutRecordBatch
 * (the Firehose put path: durable in the delivery stream's log before it answers, so before the
 * runner's checkpoint moves). `routingGateway` sends each ARN to the Kinesis or the Firehose side.
 * Lives in `server/` because it joins two services.
 */
import { ServiceError, resourceNotFound } from '../core/errors.js';
import type { RequestScope } from '../core/request-scope.js';
import type {
  GatewayBatch,
  GatewayShard,
  ShardStart,
  StreamGateway,
} from '../analytics/runner/stream-gateway.js';
import type { Catalog } from '../catalog/catalog.js';
import { checkpointsReading } from '../analytics/runner/input-holds.js';
import { shardEnd } from '../analytics/runner/checkpoint-store.js';
import { putRecordBatch } from '../firehose/actions/put-record-batch.js';
import type { DirectPutHolds } from '../firehose/sources/direct-put-holds.js';
import type { LogStore } from '../log/log-store.js';
import { directPutLogId, type DeliveryStreamRecord } from '../firehose/delivery-stream-model.js';
import type { FirehoseService } from '../firehose/firehose-service.js';

const onlyShardId = 'shardId-000000000000';
const firehoseArnPattern =
  /^arn:aws[a-z-]*:firehose:([a-z0-9-]+):(\d{12}):deliverystream\/([a-zA-Z0-9_.-]{1,64})$/;
/** PutRecordBatch takes 500 records and 4 MiB. */
const batchBytesMax = 4 * 1024 * 1024;

export function isDeliveryStreamArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:firehose:/.test(arn);
}

/** Sends delivery stream ARNs to `firehose`, everything else to `kinesis`. */
export function routingGateway(kinesis: StreamGateway, firehose: StreamGateway): StreamGateway {
  const pick = (arn: string) => (isDeliveryStreamArn(arn) ? firehose : kinesis);
  return {
    listShards: (arn) => pick(arn).listShards(arn),
    shardIterator: (arn, shardId, start) => pick(arn).shardIterator(arn, shardId, start),
    getRecords: (arn, iterator, limit) => pick(arn).getRecords(arn, iterator, limit),
    putRecords: (arn, records) => pick(arn).putRecords(arn, records),
  };
}

/**
 * The hold analytics applications put on a Direct PUT log: the lowest offset their checkpoints
 * have not read (the offset after the checkpointed sequence number; where a start without a
 * position begins: 0 for TRIM_HORIZON, the first record at NOW's start time otherwise).
 */
export function analyticsDirectPutHolds(catalog: Catalog, logStore: LogStore): DirectPutHolds {
  return {
    async heldOffset(deliveryStreamArn, logId) {
      let lowest: number | undefined;
      for (const checkpoint of await checkpointsReading(catalog, deliveryStreamArn)) {
        const position = checkpoint.shards[onlyShardId];
        let offset: number;
        if (position === shardEnd) continue;
        if (position !== undefined) offset = Number(position) + 1;
        else if (checkpoint.startAtMs === 0) offset = 0;
        else offset = await logStore.offsetAtTimestamp(logId, checkpoint.startAtMs);
        lowest = Math.min(lowest ?? offset, offset);
      }
      return lowest;
    },
  };
}

interface Iterator {
  readonly deliveryStreamId: string;
  readonly offset: number;
}

export class AnalyticsFirehoseGateway implements StreamGateway {
  readonly #firehose: FirehoseService;
  readonly #kinesis: StreamGateway;
  readonly #nowMs: () => number;

  constructor(firehose: FirehoseService, kinesis: StreamGateway) {
    this.#firehose = firehose;
    this.#kinesis = kinesis;
    this.#nowMs = () => firehose.clock.nowMs();
  }

  async listShards(arn: string): Promise<GatewayShard[]> {
    const record = this.#find(arn);
    if (record.kinesisSource !== undefined)
      return this.#kinesis.listShards(record.kinesisSource.kinesisStreamArn);
    return [{ shardId: onlyShardId, closed: false }];
  }

  async shardIterator(arn: string, shardId: string, start: ShardStart): Promise<string> {
    const record = this.#find(arn);
    if (record.kinesisSource !== undefined) {
      return this.#kinesis.shardIterator(record.kinesisSource.kinesisStreamArn, shardId, start);
    }
    if (shardId !== onlyShardId) throw resourceNotFound(`Shard ${shardId} does not exist.`);
    const logId = directPutLogId(record);
    const bounds = await this.#firehose.logStore.bounds(logId);
    let offset: number;
    switch (start.type) {
      case 'TRIM_HORIZON':
        offset = bounds.startOffset;
        break;
      case 'LATEST':
        offset = bounds.endOffset;
        break;
      case 'AT_TIMESTAMP':
        offset = await this.#firehose.logStore.offsetAtTimestamp(logId, start.timestampMs);
        break;
      case 'AFTER_SEQUENCE_NUMBER':
        offset = Number(start.sequenceNumber) + 1;
        break;
      default:
        return start satisfies never;
    }
    const iterator: Iterator = { deliveryStreamId: record.deliveryStreamId, offset };
    return JSON.stringify(iterator);
  }

  async getRecords(arn: string, iterator: string, limit: number): Promise<GatewayBatch> {
    const record = this.#find(arn);
    if (record.kinesisSource !== undefined) {
      return this.#kinesis.getRecords(record.kinesisSource.kinesisStreamArn, iterator, limit);
    }
    const position = JSON.parse(iterator) as Iterator;
    if (position.deliveryStreamId !== record.deliveryStreamId) {
      throw resourceNotFound(`Delivery stream ${arn} was deleted and created again.`);
    }
    const logId = directPutLogId(record);
    const bounds = await this.#firehose.logStore.bounds(logId);
    // Records the delivery worker already dropped (whole delivered segments) are skipped.
    const from = Math.max(position.offset, bounds.startOffset);
    const stored = await this.#firehose.logStore.read(logId, from, {
      maxRecords: limit,
      maxBytes: 10 * 1024 * 1024,
    });
    const last = stored.at(-1);
    const next = last === undefined ? from : last.offset + 1;
    const behind =
      last !== undefined && next < bounds.endOffset ? Math.max(0, this.#nowMs() - last.timestampMs) : 0;
    return {
      records: stored.map((entry) => ({
        data: entry.data,
        partitionKey: entry.partitionKey,
        sequenceNumber: String(entry.offset),
        arrivalMs: entry.timestampMs,
      })),
      nextIterator: JSON.stringify({
        deliveryStreamId: record.deliveryStreamId,
        offset: next,
      } satisfies Iterator),
      millisBehindLatest: behind,
    };
  }

  async putRecords(
    arn: string,
    records: readonly { readonly data: Buffer; readonly partitionKey: string }[],
  ): Promise<readonly number[]> {
    const { scope, name } = parse(arn);
    const failed: number[] = [];
    // Split so that every PutRecordBatch stays within its size limit.
    let start = 0;
    while (start < records.length) {
      let end = start;
      let bytes = 0;
      while (end < records.length && (end === start || bytes + records[end]!.data.length <= batchBytesMax)) {
        bytes += records[end]!.data.length;
        end++;
      }
      const output = (await putRecordBatch.run({ service: this.#firehose, scope }, {
        DeliveryStreamName: name,
        Records: records.slice(start, end).map((record) => ({ Data: record.data })),
      } as never)) as { RequestResponses: { ErrorCode?: string }[] };
      output.RequestResponses.forEach((entry, index) => {
        if (entry.ErrorCode !== undefined) failed.push(start + index);
      });
      start = end;
    }
    return failed;
  }

  #find(arn: string): DeliveryStreamRecord {
    const { scope, name } = parse(arn);
    const record = this.#firehose.find(scope, name).record;
    if (record.status !== 'ACTIVE') {
      throw new ServiceError(
        'ResourceNotFoundException',
        `Firehose ${name} under account ${scope.accountId} is not ACTIVE.`,
      );
    }
    return record;
  }
}

function parse(arn: string): { scope: RequestScope; name: string } {
  const match = firehoseArnPattern.exec(arn);
  if (match === null) throw resourceNotFound(`${arn} is not a Firehose delivery stream ARN.`);
  return { scope: { region: match[1] as string, accountId: match[2] as string }, name: match[3] as string };
}
