import { withBatchRecordsJson, withRecordsJson, type WireRecord } from '../records-json.js';
import { expiredIterator, internalFailure, invalidArgument, refuseDryRun } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { LogStoreError, type LogRecord } from '../../log/log-store.js';
import type { RecordBatch } from '../../log/record-batch.js';
import { isSealed, SealedRecordError } from '../record-encryption.js';
import { formatSequenceNumberRun } from '../sequence-number.js';
import type { LoadedStream, StreamsService } from '../streams-service.js';
import { shardNotFound, takesDataCalls } from '../shard-position.js';
import { openShardIterator, sealShardIterator } from '../shard-iterator.js';
import {
  logIdOf,
  shardCreatedSeconds,
  shardIdOf,
  type ShardRecord,
  type StreamRecord,
} from '../stream-model.js';
import { defineAction } from './action.js';

interface GetRecordsInput {
  readonly ShardIterator: string;
  readonly Limit?: number;
  readonly StreamARN?: string;
  readonly DryRun?: boolean;
}

export const getRecords = defineAction<GetRecordsInput>('GetRecords', async ({ service }, input) => {
  const startMs = service.metrics.startTimer();
  const nowMs = service.clock.nowMs();
  const state = openShardIterator(service.sealer, input.ShardIterator);
  if (state === undefined) throw invalidArgument('Invalid ShardIterator.');
  if (nowMs - state.issuedMs > limits.shardIteratorLifetimeMs) {
    throw expiredIterator(
      `Iterator expired. The iterator was created at time ${awsTime(state.issuedMs)} while right now it is ` +
        `${awsTime(nowMs)} which is further in the future than the tolerated delay of ${limits.shardIteratorLifetimeMs} milliseconds.`,
    );
  }
  const loaded = service.lookup(state.accountId, state.region, state.streamName);
  const shard = loaded?.record.shards.find((candidate) => candidate.index === state.shardIndex);
  if (loaded === undefined || shard === undefined || !takesDataCalls(loaded)) {
    throw shardNotFound(shardIdOf(state.shardIndex), state.streamName, state.accountId);
  }
  if (loaded.record.createdAtMs !== state.streamCreatedMs) {
    // An iterator of an earlier stream of the same name, whose shard exists again: AWS answers
    // with no records rather than an error (recorded against real Kinesis). It never reads the
    // new stream's data, since its position belongs to the old one.
    return {
      Records: [],
      NextShardIterator: sealShardIterator(service.sealer, { ...state, issuedMs: nowMs }),
      MillisBehindLatest: 0,
    };
  }
  const record = loaded.record;
  if (input.StreamARN !== undefined && input.StreamARN !== loaded.arn) {
    throw invalidArgument(`StreamARN ${input.StreamARN} is not the stream of the shard iterator.`);
  }
  refuseDryRun(input);
  const logId = logIdOf(record, shard.index);
  try {
    service.limits.admitRead(record, shard.index, logId);
  } catch (error) {
    service.metrics.recordReadThrottled(record, shard.index);
    throw error;
  }
  const maxRecords = input.Limit ?? limits.getRecordsCountMax;
  const [bounds, batch] = await Promise.all([
    service.logStore.bounds(logId),
    service.logStore
      .readBatch(logId, state.offset, { maxRecords, maxBytes: limits.getRecordsBytesMax })
      .catch((error) => {
        // A record that fails its checksum is never returned: the read fails, loudly, until an
        // operator repairs or trims the log.
        if (error instanceof LogStoreError && error.code === 'Corrupt') {
          service.reportCorruption(error, { stream: state.streamName, shard: shardIdOf(state.shardIndex) });
          throw internalFailure(error);
        }
        throw error;
      }),
  ]);

  service.limits.chargeRead(logId, batchBytes(batch, 0));
  // Retention drops whole segments; records past it inside a kept segment are skipped here
  // (timestamps never decrease along a log, so those are the batch's first ones).
  const fresh = batch.firstIndexAtOrAfter(nowMs - service.retentionMs(record));
  const nextOffset = batch.count > 0 ? batch.endOffset : Math.max(state.offset, bounds.startOffset);
  const page = await pageOf(service, record, shard, batch, fresh);
  const lastFreshMs = fresh < batch.count ? batch.timestampMs(batch.count - 1) : undefined;
  countGetRecords(
    service,
    loaded,
    shard.index,
    page.count,
    page.bytes,
    lastFreshMs === undefined ? 0 : nowMs - lastFreshMs,
    startMs,
  );
  const millisBehindLatest =
    nextOffset >= bounds.endOffset || lastFreshMs === undefined ? 0 : Math.max(0, nowMs - lastFreshMs);

  if (shard.endOffset !== undefined && nextOffset >= shard.endOffset) {
    return page.output({ MillisBehindLatest: 0, ChildShards: childShards(record, shard) });
  }
  return page.output({
    NextShardIterator: sealShardIterator(service.sealer, { ...state, offset: nextOffset, issuedMs: nowMs }),
    MillisBehindLatest: millisBehindLatest,
  });
});

/** The records of one GetRecords answer: how many, their bytes, and the output around them. */
interface RecordsPage {
  readonly count: number;
  /** Data plus partition keys, as the throughput limits and metrics count them. */
  readonly bytes: number;
  /** The answer: `Records` first, then `rest`'s members. */
  output(rest: object): object;
}

/**
 * The answer's records `[fresh, batch.count)`. Records in the clear (the common case) stay in the
 * batch: the JSON body is written from it, and `Records` is built only if something reads it
 * (CBOR, in-process callers). A page holding a sealed record goes through `wireRecords`.
 */
async function pageOf(
  service: StreamsService,
  record: StreamRecord,
  shard: ShardRecord,
  batch: RecordBatch,
  fresh: number,
): Promise<RecordsPage> {
  const clearType = record.encryptionType === 'NONE' ? undefined : 'NONE';
  if (!holdsSealed(batch, fresh)) {
    let wire: WireRecord[] | undefined;
    const records = (): WireRecord[] => (wire ??= clearWireRecords(shard, batch.toRecords(fresh), clearType));
    return {
      count: batch.count - fresh,
      bytes: batchBytes(batch, fresh),
      output: (rest) =>
        withBatchRecordsJson(
          {
            get Records(): WireRecord[] {
              return records();
            },
            ...rest,
          },
          {
            batch,
            from: fresh,
            shardCreatedSeconds: shardCreatedSeconds(shard),
            shardIndex: shard.index,
            encryptionType: clearType,
          },
          rest,
          // The body is a copy: unless Records was built (views into the batch), the store may
          // reuse the batch's read buffers now.
          () => {
            if (wire === undefined) batch.release();
          },
        ),
    };
  }
  const entries = batch.toRecords(fresh);
  const records = await wireRecords(service, record, shard, entries, sequenceNumbersOf(shard, entries));
  return {
    count: records.length,
    bytes: wireRecordBytes(records),
    output: (rest) => withRecordsJson({ Records: records, ...rest }),
  };
}

/** Whether records `[from, count)` hold a sealed one (written while the stream was encrypted). */
function holdsSealed(batch: RecordBatch, from: number): boolean {
  for (let index = from; index < batch.count; index++) {
    if (batch.keyBytes(index) === 0) return true;
  }
  return false;
}

/** Key plus data bytes of records `[from, count)`. */
function batchBytes(batch: RecordBatch, from: number): number {
  let bytes = 0;
  for (let index = from; index < batch.count; index++) bytes += batch.recordBytes(index);
  return bytes;
}

/** Wire records of records in the clear. */
function clearWireRecords(
  shard: ShardRecord,
  entries: readonly LogRecord[],
  encryptionType: string | undefined,
): WireRecord[] {
  const sequenceNumbers = sequenceNumbersOf(shard, entries);
  return entries.map((entry, index) => {
    const base = {
      SequenceNumber: sequenceNumbers[index]!,
      ApproximateArrivalTimestamp: new Date(entry.timestampMs),
      Data: entry.data,
      PartitionKey: entry.partitionKey,
    };
    return encryptionType === undefined ? base : { ...base, EncryptionType: encryptionType };
  });
}

/** The GetRecords.* metrics (and shard-level Outgoing*, IteratorAgeMilliseconds) of one call. */
function countGetRecords(
  service: StreamsService,
  loaded: LoadedStream,
  shardIndex: number,
  records: number,
  bytes: number,
  iteratorAgeMs: number,
  startMs: number,
): void {
  const series = service.metrics.series(loaded.key);
  if (series === undefined) return;
  service.metrics.recordGetRecords(series, shardIndex, {
    records,
    bytes,
    iteratorAgeMs: Math.max(0, iteratorAgeMs),
    latencySeconds: service.metrics.elapsedSeconds(startMs),
  });
}

/** Bytes (data plus partition key) of wire records, as the throughput limits count them. */
export function wireRecordBytes(records: readonly object[]): number {
  let bytes = 0;
  for (const record of records as readonly { Data: Buffer; PartitionKey: string }[]) {
    bytes += record.Data.length + Buffer.byteLength(record.PartitionKey, 'utf8');
  }
  return bytes;
}

/**
 * The wire records. Sealed records (written while the stream was encrypted) are opened and carry
 * EncryptionType KMS; records in the clear carry NONE, or no EncryptionType member at all while
 * the stream is unencrypted (as on AWS). A sealed record that fails authentication is never
 * returned: the read fails like one with a bad checksum.
 */
export async function wireRecords(
  service: StreamsService,
  record: StreamRecord,
  shard: ShardRecord,
  entries: readonly LogRecord[],
  sequenceNumbers: readonly string[],
): Promise<WireRecord[]> {
  const keys = await service.encryption.readKeys(record, entries);
  const clearType = record.encryptionType === 'NONE' ? undefined : 'NONE';
  const records: WireRecord[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index] as LogRecord;
    let partitionKey = entry.partitionKey;
    let data = entry.data;
    let encryptionType: string | undefined = clearType;
    if (isSealed(entry)) {
      const opened = openSealed(service, record, shard, keys, entry);
      // Its data key was dropped after retention passed every record written under it.
      if (opened === undefined) continue;
      ({ partitionKey, data } = opened);
      encryptionType = 'KMS';
    }
    const base = {
      SequenceNumber: sequenceNumbers[index]!,
      ApproximateArrivalTimestamp: new Date(entry.timestampMs),
      Data: data,
      PartitionKey: partitionKey,
    };
    records.push(encryptionType === undefined ? base : { ...base, EncryptionType: encryptionType });
  }
  return records;
}

function openSealed(
  service: StreamsService,
  record: StreamRecord,
  shard: ShardRecord,
  keys: ReadonlyMap<number, Buffer>,
  entry: LogRecord,
): { partitionKey: string; data: Buffer } | undefined {
  try {
    return service.encryption.open(record, keys, entry);
  } catch (error) {
    if (!(error instanceof SealedRecordError)) throw error;
    service.reportCorruption(error, { stream: record.name, shard: shardIdOf(shard.index) });
    throw internalFailure(error);
  }
}

/**
 * Sequence numbers of records read in offset order. Records of one append share an arrival
 * second and have consecutive offsets, so they are numbered as runs (one BigInt step each).
 */
export function sequenceNumbersOf(shard: ShardRecord, entries: readonly LogRecord[]): string[] {
  const numbers: string[] = [];
  const createdSeconds = shardCreatedSeconds(shard);
  let start = 0;
  while (start < entries.length) {
    const first = entries[start] as LogRecord;
    const seconds = Math.floor(first.timestampMs / 1000);
    let end = start + 1;
    while (end < entries.length) {
      const next = entries[end] as LogRecord;
      if (next.offset !== first.offset + (end - start) || Math.floor(next.timestampMs / 1000) !== seconds)
        break;
      end++;
    }
    numbers.push(
      ...formatSequenceNumberRun(
        createdSeconds,
        shard.index,
        BigInt(first.offset) + 1n,
        seconds,
        end - start,
      ),
    );
    start = end;
  }
  return numbers;
}

export function childShards(record: StreamRecord, parent: ShardRecord): object[] {
  return record.shards
    .filter((shard) => shard.parentIndex === parent.index || shard.adjacentParentIndex === parent.index)
    .map((child) => ({
      ShardId: shardIdOf(child.index),
      ParentShards: [child.parentIndex, child.adjacentParentIndex]
        .filter((index): index is number => index !== undefined)
        .map(shardIdOf),
      HashKeyRange: { StartingHashKey: child.startingHashKey, EndingHashKey: child.endingHashKey },
    }));
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Java's Date.toString() in UTC, as AWS's messages print times: "Thu Jun 17 12:22:44 UTC 2021". */
function awsTime(ms: number): string {
  const date = new Date(ms);
  const two = (value: number): string => String(value).padStart(2, '0');
  return (
    `${weekdays[date.getUTCDay()]} ${months[date.getUTCMonth()]} ${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}
