/**
 * What the catalog holds for a stream, and how it looks on the wire.
 *
 * A stream record is one catalog entry (`streams/<account>/<region>/<name>`); its shards live
 * inside it, each backed by one log whose id is `<streamId>-<shardIndex>`. `streamId` is random
 * per creation, so the logs of a deleted stream never mix with a new stream of the same name.
 */
import type { ReshardStep } from './reshard.js';
import { formatSequenceNumber, endingCounter } from './sequence-number.js';

export const streamStatuses = ['CREATING', 'DELETING', 'ACTIVE', 'UPDATING'] as const;
export type StreamStatus = (typeof streamStatuses)[number];

export const streamModes = ['PROVISIONED', 'ON_DEMAND'] as const;
export type StreamMode = (typeof streamModes)[number];

export interface ShardRecord {
  readonly index: number;
  readonly parentIndex?: number;
  readonly adjacentParentIndex?: number;
  /** Decimal strings: bigint does not survive JSON. */
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  readonly createdAtMs: number;
  /** Set when the shard is closed by resharding; it then takes no more writes. */
  readonly closedAtMs?: number;
  /** The log's end offset at close: a reader at this offset has reached the shard's end. */
  readonly endOffset?: number;
}

/** A pending status transition, finished by the service when due (also after a restart). */
export interface StreamTransition {
  readonly kind: 'create' | 'delete' | 'update';
  readonly dueAtMs: number;
  /** For `update`: the reshard to apply (SplitShard, MergeShards, UpdateShardCount). */
  readonly steps?: readonly ReshardStep[];
  /** For `update`: the capacity mode to switch to (UpdateStreamMode). */
  readonly mode?: StreamMode;
  /**
   * For `update`: Start/StopStreamEncryption. With a data key, records written once the stream is
   * ACTIVE again are encrypted under it; without one, they are stored in the clear.
   */
  readonly encryption?: { readonly keyId?: string; readonly dataKey?: WrappedDataKey };
  /** For `update`: the warm throughput the stream scales to (UpdateStreamWarmThroughput). */
  readonly warmThroughputMiBps?: number;
}

/** A stream's data key, wrapped by the keyring's master key named by `keyId`. */
export interface WrappedDataKey {
  readonly keyId: string;
  /** base64 of nonce | wrapped key | tag; see keyring.ts. */
  readonly wrapped: string;
  readonly createdAtMs: number;
}

/** A data key the stream's records may name: `epoch` is written into each encrypted record. */
export interface DataKeyRecord extends WrappedDataKey {
  readonly epoch: number;
  /** When a later key or StopStreamEncryption replaced it; kept while its records may be read. */
  readonly retiredAtMs?: number;
}

export interface StreamRecord {
  readonly streamId: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly status: StreamStatus;
  readonly mode: StreamMode;
  readonly createdAtMs: number;
  readonly retentionHours: number;
  readonly shards: readonly ShardRecord[];
  readonly nextShardIndex: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly shardLevelMetrics: readonly string[];
  readonly encryptionType: 'NONE' | 'KMS';
  readonly keyId?: string;
  /** Data keys, current (the last, when encrypting) and retired ones whose records may remain. */
  readonly dataKeys?: readonly DataKeyRecord[];
  /** Times of recent Start/StopStreamEncryption calls, for AWS's 25-per-24-hours limits. */
  readonly encryptionStartsMs?: readonly number[];
  readonly encryptionStopsMs?: readonly number[];
  /** Times of recent UpdateShardCount calls and capacity-mode switches (24-hour quotas). */
  readonly shardCountUpdatesMs?: readonly number[];
  readonly modeSwitchesMs?: readonly number[];
  readonly maxRecordSizeKiB: number;
  /** On-demand streams of accounts with a billing commitment: the write capacity kept warm. */
  readonly warmThroughput?: { readonly targetMiBps: number; readonly currentMiBps: number };
  /**
   * An on-demand stream's RecordDistributionStrategy when it is AUTO (records spread evenly over
   * the open shards, partition keys ignored); absent means USER_PARTITION_KEY.
   */
  readonly recordDistribution?: 'AUTO';
  /** A resource policy (JSON text), stored and validated; enforced with request signing. */
  readonly policy?: string;
  readonly transition?: StreamTransition;
}

export const streamKey = (accountId: string, region: string, name: string): string =>
  `streams/${accountId}/${region}/${name}`;

export const logIdOf = (stream: Pick<StreamRecord, 'streamId'>, shardIndex: number): string =>
  `${stream.streamId}-${shardIndex}`;

/**
 * Whether a log id is one of a stream's shard logs (`<streamId>-<index>`, streamId being hex).
 * The LogStore also holds other services' logs (Firehose's `firehose-<id>`), which the streams
 * service must never treat as its orphans.
 */
export const isStreamLogId = (logId: string): boolean => /^[0-9a-f]+-\d+$/.test(logId);

export const shardIdOf = (index: number): string => `shardId-${String(index).padStart(12, '0')}`;

/**
 * AWS reads the number after the last '-' of a shard reference, so `shardId-5`, `foo-5` and `5`
 * all name shardId-000000000005. Undefined when there is no such number.
 */
export function parseShardReference(reference: string): number | undefined {
  const digits = reference.slice(reference.lastIndexOf('-') + 1).replace(/^0+(?=\d)/, '');
  if (!/^\d{1,10}$/.test(digits)) return undefined;
  const index = Number(digits);
  return index <= 0x7fffffff ? index : undefined;
}

export const isOpen = (shard: ShardRecord): boolean => shard.closedAtMs === undefined;

export const shardCreatedSeconds = (shard: ShardRecord): number => Math.floor(shard.createdAtMs / 1000);

export function startingSequenceNumber(shard: ShardRecord): string {
  const seconds = shardCreatedSeconds(shard);
  return formatSequenceNumber({
    shardCreatedSeconds: seconds,
    shardIndex: shard.index,
    counter: 0n,
    arrivalSeconds: seconds,
  });
}

export function endingSequenceNumber(shard: ShardRecord): string | undefined {
  if (shard.closedAtMs === undefined) return undefined;
  return formatSequenceNumber({
    shardCreatedSeconds: shardCreatedSeconds(shard),
    shardIndex: shard.index,
    counter: endingCounter,
    arrivalSeconds: Math.floor(shard.closedAtMs / 1000),
  });
}

/** The wire `Shard` structure. */
export function shardToWire(shard: ShardRecord): Record<string, unknown> {
  return {
    ShardId: shardIdOf(shard.index),
    ParentShardId: shard.parentIndex === undefined ? undefined : shardIdOf(shard.parentIndex),
    AdjacentParentShardId:
      shard.adjacentParentIndex === undefined ? undefined : shardIdOf(shard.adjacentParentIndex),
    HashKeyRange: { StartingHashKey: shard.startingHashKey, EndingHashKey: shard.endingHashKey },
    SequenceNumberRange: {
      StartingSequenceNumber: startingSequenceNumber(shard),
      EndingSequenceNumber: endingSequenceNumber(shard),
    },
  };
}

export function streamModeDetails(stream: StreamRecord): { StreamMode: StreamMode } {
  return { StreamMode: stream.mode };
}

export function enhancedMonitoring(stream: StreamRecord): { ShardLevelMetrics: string[] }[] {
  return [{ ShardLevelMetrics: [...stream.shardLevelMetrics] }];
}
