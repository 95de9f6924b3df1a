import { withRecordsJson, type WireRecord } from '../records-json.js';
import { expiredIterator, internalFailure, invalidArgument, refuseDryRun } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { LogStoreError, type LogRecord } from '../../log/log-store.js';
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
  const [bounds, stored] = await Promise.all([
    service.logStore.bounds(logId),
    service.logStore
      .read(logId, state.offset, { maxRecords, maxBytes: limits.getRecordsBytesMax })
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

  service.limits.chargeRead(logId, storedBytes(stored));
  // Retention drops whole segments; records past it inside a kept segment are skipped here.
  const retentionCutMs = nowMs - service.retentionMs(record);
  const fresh = stored.filter((entry) => entry.timestampMs >= retentionCutMs);
  const last = stored[stored.length - 1];
  const nextOffset = last !== undefined ? last.offset + 1 : Math.max(state.offset, bounds.startOffset);
  const sequenceNumbers = sequenceNumbersOf(shard, fresh);
  const records = await wireRecords(service, record, shard, fresh, sequenceNumbers);
  const lastFresh = fresh[fresh.length - 1];
  countGetRecords(
    service,
    loaded,
    shard.index,
    records,
    lastFresh === undefined ? 0 : nowMs - lastFresh.timestampMs,
    startMs,
  );
  const millisBehindLatest =
    nextOffset >= bounds.endOffset || lastFresh === undefined
      ? 0
      : Math.max(0, nowMs - lastFresh.timestampMs);

  if (shard.endOffset !== undefined && nextOffset >= shard.endOffset) {
    return withRecordsJson({
      Records: records,
      MillisBehindLatest: 0,
      ChildShards: childShards(record, shard),
    });
  }
  return withRecordsJson({
    Records: records,
    NextShardIterator: sealShardIterator(service.sealer, { ...state, offset: nextOffset, issuedMs: nowMs }),
    MillisBehindLatest: millisBehindLatest,
  });
});

/** Bytes a read returned, as the read throughput counts them: data plus partition keys. */
function storedBytes(entries: readonly LogRecord[]): number {
  let bytes = 0;
  for (const entry of entries) bytes += entry.data.length + Buffer.byteLength(entry.partitionKey, 'utf8');
  return bytes;
}

/** The GetRecords.* metrics (and shard-level Outgoing*, IteratorAgeMilliseconds) of one call. */
function countGetRecords(
  service: StreamsService,
  loaded: LoadedStream,
  shardIndex: number,
  records: readonly object[],
  iteratorAgeMs: number,
  startMs: number,
): void {
  const series = service.metrics.series(loaded.key);
  if (series === undefined) return;
  service.metrics.recordGetRecords(series, shardIndex, {
    records: records.length,
    bytes: wireRecordBytes(records),
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
