/**
 * The write path shared by PutRecord and PutRecords: size checks, hash keys, routing to open
 * shards, one append per shard (the log group-commits them with other requests), and sequence
 * numbers from the offsets the log assigned. Records of one shard keep request order.
 */
import { assert } from '../core/assert.js';
import { internalFailure, invalidArgument, ServiceError, serviceUnavailable } from '../core/errors.js';
import { hashKeyMax, hashKeyToWords, partitionKeyToHashWords } from '../core/hash-key.js';
import { LogStoreError } from '../log/log-store.js';
import { formatSequenceNumberRun } from './sequence-number.js';
import { isOpen, logIdOf, shardCreatedSeconds, shardIdOf, type ShardRecord } from './stream-model.js';
import { streamNotFound, type LoadedStream, type StreamsService } from './streams-service.js';

export interface PutEntry {
  readonly Data: Buffer;
  /** Absent only for streams whose RecordDistributionStrategy is AUTO. */
  readonly PartitionKey?: string;
  readonly ExplicitHashKey?: string;
}

export type PutOutcome =
  | {
      readonly ok: true;
      readonly shardId: string;
      readonly sequenceNumber: string;
      /** How the record was stored: the stream's encryption when it was written. */
      readonly encryptionType: 'NONE' | 'KMS';
    }
  | {
      readonly ok: false;
      readonly errorCode: string;
      readonly errorMessage: string;
      /** The log could not take the write (disk full, I/O error): worth retrying later. */
      readonly storageFailure?: boolean;
    };

/**
 * The hash key of an entry, as words into `out`; an out-of-range ExplicitHashKey fails the
 * request, as on AWS.
 */
export function hashWordsOf(entry: PutEntry, out: Uint32Array): void {
  if (entry.ExplicitHashKey === undefined) {
    assert(entry.PartitionKey !== undefined, 'a user-keyed stream record has a partition key');
    return partitionKeyToHashWords(entry.PartitionKey, out);
  }
  const hashKey = BigInt(entry.ExplicitHashKey);
  if (hashKey > hashKeyMax) {
    throw invalidArgument(
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${entry.ExplicitHashKey}`,
    );
  }
  hashKeyToWords(hashKey, out);
}

const scratchHashWords = new Uint32Array(4);

/**
 * A record's data may be at most the stream's MaxRecordSizeInKiB (1 MiB by default): larger data
 * fails the model constraint (Coral-style ValidationException, as AWS answers when the model's
 * maximum was 1 MiB); data within it whose partition key tips the total over answers
 * InvalidArgumentException.
 */
export function checkRecordSize(loaded: LoadedStream, entry: PutEntry, path: string): void {
  const maxBytes = loaded.record.maxRecordSizeKiB * 1024;
  const size = entry.Data.length;
  if (size > maxBytes) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=${size} cap=${size}]' at '${path}' ` +
        `failed to satisfy constraint: Member must have length less than or equal to ${maxBytes}`,
    );
  }
  const total = size + Buffer.byteLength(entry.PartitionKey ?? '', 'utf8');
  if (total > maxBytes) {
    throw invalidArgument(
      `The record at '${path}' is ${total} bytes with its partition key, over the stream's maximum record size of ${maxBytes} bytes.`,
    );
  }
}

/** What a record counts for in throughput and metrics: its data plus its partition key, in bytes. */
export function entryBytes(entry: PutEntry): number {
  return entry.Data.length + Buffer.byteLength(entry.PartitionKey ?? '', 'utf8');
}

/** Writes entries (already validated and sized) and answers one outcome per entry, in order. */
export async function writeEntries(
  service: StreamsService,
  loaded: LoadedStream,
  entries: readonly PutEntry[],
  operation: 'PutRecord' | 'PutRecords',
): Promise<PutOutcome[]> {
  const current = await service.beginAppend(loaded);
  try {
    return await routeAndAppend(service, current, entries, operation);
  } finally {
    service.endAppend(current);
  }
}

interface StoredEntry {
  readonly Data: Buffer;
  readonly PartitionKey: string;
}

/**
 * AUTO distribution: each record goes to the next open shard in turn, so the open shards take
 * equal numbers of records (within one) whatever the partition keys. The turn is kept in memory
 * per shard list: a reshard (a new list) or a restart starts it again.
 */
class EvenSpread {
  static readonly #turns = new WeakMap<readonly ShardRecord[], number>();
  readonly #shards: readonly ShardRecord[];
  readonly #open: readonly ShardRecord[];

  constructor(loaded: LoadedStream) {
    this.#shards = loaded.record.shards;
    this.#open = this.#shards.filter(isOpen);
    assert(this.#open.length > 0, 'a stream taking writes has open shards');
  }

  next(): ShardRecord {
    const turn = EvenSpread.#turns.get(this.#shards) ?? 0;
    EvenSpread.#turns.set(this.#shards, turn + 1);
    return this.#open[turn % this.#open.length] as ShardRecord;
  }
}

async function routeAndAppend(
  service: StreamsService,
  loaded: LoadedStream,
  entries: readonly PutEntry[],
  operation: 'PutRecord' | 'PutRecords',
): Promise<PutOutcome[]> {
  const router = loaded.router;
  if (router === undefined) throw streamNotFound(loaded.record.name, loaded.record.accountId);
  const groups = new Map<
    number,
    { shard: ShardRecord; positions: number[]; entries: StoredEntry[]; bytes: number }
  >();
  const outcomes = new Array<PutOutcome>(entries.length);
  const spread = loaded.record.recordDistribution === 'AUTO' ? new EvenSpread(loaded) : undefined;
  for (let position = 0; position < entries.length; position++) {
    const entry = entries[position] as PutEntry;
    let shard: ShardRecord;
    if (spread === undefined) {
      hashWordsOf(entry, scratchHashWords);
      shard = router.routeWords(scratchHashWords);
    } else {
      shard = spread.next();
    }
    // Throttled records fail alone, in request order; the others of the request are written.
    const bytes = entryBytes(entry);
    const refused = service.limits.admitWrite(
      loaded.record,
      shard.index,
      logIdOf(loaded.record, shard.index),
      bytes,
      operation,
    );
    if (refused !== undefined) {
      outcomes[position] = { ok: false, ...refused };
      if (refused.errorCode === 'ProvisionedThroughputExceededException') {
        service.metrics.recordWriteThrottled(loaded.record, shard.index, 1);
      }
      continue;
    }
    service.limits.recordWrite(loaded.key, bytes);
    let group = groups.get(shard.index);
    if (group === undefined) {
      group = { shard, positions: [], entries: [], bytes: 0 };
      groups.set(shard.index, group);
    }
    group.positions.push(position);
    // A record put to an AUTO stream without a key is stored under its shard's id (our choice,
    // docs/compatibility.md): records always have a partition key when read.
    group.entries.push(
      entry.PartitionKey === undefined
        ? { Data: entry.Data, PartitionKey: shardIdOf(shard.index) }
        : (entry as StoredEntry),
    );
    group.bytes += bytes;
  }
  const series = service.metrics.series(loaded.key);

  const nowMs = service.clock.nowMs();
  const writeKey = await service.encryption.writeKey(loaded.record);
  const encryptionType = writeKey === undefined ? 'NONE' : 'KMS';
  await Promise.all(
    [...groups.values()].map(async ({ shard, positions, entries: shardEntries, bytes }) => {
      const shardId = shardIdOf(shard.index);
      try {
        const logId = logIdOf(loaded.record, shard.index);
        const result = await service.logStore.append(
          logId,
          writeKey === undefined
            ? shardEntries.map((entry) => ({ partitionKey: entry.PartitionKey, data: entry.Data }))
            : shardEntries.map((entry) => service.encryption.seal(writeKey, entry.PartitionKey, entry.Data)),
          nowMs,
        );
        // Durable now: wake the fan-out subscriptions waiting at this shard's tip.
        service.changes.notify(logId);
        if (series !== undefined)
          service.metrics.recordIncoming(series, shard.index, shardEntries.length, bytes);
        const sequenceNumbers = formatSequenceNumberRun(
          shardCreatedSeconds(shard),
          shard.index,
          BigInt(result.firstOffset) + 1n,
          Math.floor(result.timestampMs / 1000),
          shardEntries.length,
        );
        positions.forEach((position, index) => {
          outcomes[position] = {
            ok: true,
            shardId,
            sequenceNumber: sequenceNumbers[index] as string,
            encryptionType,
          };
        });
      } catch (error) {
        const outcome = failureOf(service, loaded, error);
        for (const position of positions) outcomes[position] = outcome;
      }
    }),
  );
  return outcomes;
}

function failureOf(service: StreamsService, loaded: LoadedStream, error: unknown): PutOutcome {
  if (error instanceof LogStoreError && error.code === 'NoSuchLog') {
    const notFound = streamNotFound(loaded.record.name, loaded.record.accountId);
    return { ok: false, errorCode: notFound.code, errorMessage: notFound.message };
  }
  if (!(error instanceof LogStoreError)) throw error;
  service.logStoreFailed(error);
  return {
    ok: false,
    errorCode: 'InternalFailure',
    errorMessage: `Internal service failure: the record could not be made durable (${storageCause(error)}).`,
    storageFailure: true,
  };
}

/** The operating-system reason behind a storage failure, e.g. "ENOSPC". */
function storageCause(error: LogStoreError): string {
  const cause = error.cause as NodeJS.ErrnoException | undefined;
  return typeof cause?.code === 'string' ? cause.code : error.message;
}

/** For single-record PutRecord: a failed outcome becomes the call's error. */
export function outcomeOrThrow(outcome: PutOutcome | undefined): {
  shardId: string;
  sequenceNumber: string;
  encryptionType: 'NONE' | 'KMS';
} {
  if (outcome === undefined) throw internalFailure();
  if (outcome.ok) return outcome;
  if (outcome.storageFailure === true) throw serviceUnavailable(outcome.errorMessage);
  if (outcome.errorCode === 'InternalFailure') throw internalFailure();
  throw new ServiceError(outcome.errorCode, outcome.errorMessage);
}
