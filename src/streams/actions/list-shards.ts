import { invalidArgument, resourceInUse, resourceNotFound } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { openPagingToken, sealPagingToken } from '../paging-token.js';
import { shardIdOf, shardToWire, type ShardRecord, type StreamRecord } from '../stream-model.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

type ShardFilterType =
  | 'AFTER_SHARD_ID'
  | 'AT_TRIM_HORIZON'
  | 'FROM_TRIM_HORIZON'
  | 'AT_LATEST'
  | 'AT_TIMESTAMP'
  | 'FROM_TIMESTAMP';

interface ShardFilter {
  readonly Type: ShardFilterType;
  readonly ShardId?: string;
  readonly Timestamp?: Date;
}

interface ListShardsInput extends StreamReference {
  readonly NextToken?: string;
  readonly ExclusiveStartShardId?: string;
  readonly MaxResults?: number;
  readonly StreamCreationTimestamp?: Date;
  readonly ShardFilter?: ShardFilter;
}

/** What a page token remembers: which stream, which filter, and the last shard listed. */
interface ListShardsToken {
  readonly key: string;
  readonly streamId: string;
  readonly afterShardId: string;
  readonly filter?: {
    readonly type: ShardFilterType;
    readonly shardId?: string;
    readonly timestampMs?: number;
  };
}

export const listShards = defineAction<ListShardsInput>('ListShards', async ({ service, scope }, input) => {
  const nowMs = service.clock.nowMs();
  let record: StreamRecord;
  let key: string;
  let filter: ListShardsToken['filter'];
  let afterShardId: string | undefined;

  if (input.NextToken !== undefined) {
    if (input.StreamName !== undefined) {
      throw invalidArgument('NextToken and StreamName cannot be provided together.');
    }
    if (input.ExclusiveStartShardId !== undefined) {
      throw invalidArgument('NextToken and ExclusiveStartShardId cannot be provided together.');
    }
    if (input.StreamCreationTimestamp !== undefined) {
      throw invalidArgument('NextToken and StreamCreationTimestamp cannot be provided together.');
    }
    const token = openPagingToken<ListShardsToken>(service.sealer, 'ListShards', input.NextToken, nowMs);
    const [, accountId = '', region = '', ...nameParts] = token.key.split('/');
    const loaded = service.lookup(accountId, region, nameParts.join('/'));
    if (loaded === undefined || loaded.record.streamId !== token.streamId) {
      throw resourceNotFound(`Stream ${nameParts.join('/')} under account ${accountId} not found.`);
    }
    ({ record, key } = loaded);
    filter = token.filter;
    afterShardId = token.afterShardId;
  } else {
    if (input.StreamName === undefined && input.StreamARN === undefined) {
      throw invalidArgument('Either NextToken or StreamName should be provided.');
    }
    const loaded = service.findStream(scope, input);
    ({ record, key } = loaded);
    if (
      input.StreamCreationTimestamp !== undefined &&
      input.StreamCreationTimestamp.getTime() !== record.createdAtMs
    ) {
      throw resourceNotFound(`Stream ${record.name} under account ${record.accountId} not found.`);
    }
    filter = checkFilter(input.ShardFilter);
    afterShardId = input.ExclusiveStartShardId;
  }

  if (record.status === 'CREATING' || record.status === 'DELETING') {
    throw resourceInUse(
      `Stream ${record.name} under account ${record.accountId} is not ACTIVE, instead in state ${record.status}`,
    );
  }

  const retentionCutMs = nowMs - service.retentionMs(record);
  const selected = service
    .visibleShards(record)
    .filter((shard) => matchesFilter(record, shard, filter, retentionCutMs))
    .filter((shard) => afterShardId === undefined || shardIdOf(shard.index) > afterShardId);
  const limit = Math.min(input.MaxResults ?? limits.listShardsResultsMax, limits.listShardsResultsMax);
  const page = selected.slice(0, limit);
  const last = page[page.length - 1];
  const hasMore = selected.length > page.length && last !== undefined;
  return {
    Shards: page.map(shardToWire),
    NextToken: hasMore
      ? sealPagingToken(
          service.sealer,
          'ListShards',
          {
            key,
            streamId: record.streamId,
            afterShardId: shardIdOf(last.index),
            filter,
          } satisfies ListShardsToken,
          nowMs,
        )
      : undefined,
  };
});

function checkFilter(filter: ShardFilter | undefined): ListShardsToken['filter'] {
  if (filter === undefined) return undefined;
  const { Type: type, ShardId: shardId, Timestamp: timestamp } = filter;
  const needsShardId = type === 'AFTER_SHARD_ID';
  const needsTimestamp = type === 'AT_TIMESTAMP' || type === 'FROM_TIMESTAMP';
  if (needsShardId && shardId === undefined) {
    throw invalidArgument('ShardId must be specified when the ShardFilter type is AFTER_SHARD_ID.');
  }
  if (!needsShardId && shardId !== undefined) {
    throw invalidArgument(`ShardId must not be specified when the ShardFilter type is ${type}.`);
  }
  if (needsTimestamp && timestamp === undefined) {
    throw invalidArgument(`Timestamp must be specified when the ShardFilter type is ${type}.`);
  }
  if (!needsTimestamp && timestamp !== undefined) {
    throw invalidArgument(`Timestamp must not be specified when the ShardFilter type is ${type}.`);
  }
  return { type, shardId, timestampMs: timestamp?.getTime() };
}

/** Which shards a filter selects (reference §2.2). */
function matchesFilter(
  record: StreamRecord,
  shard: ShardRecord,
  filter: ListShardsToken['filter'],
  retentionCutMs: number,
): boolean {
  if (filter === undefined) return true;
  const closedAtMs = shard.closedAtMs;
  switch (filter.type) {
    case 'FROM_TRIM_HORIZON':
      return true;
    case 'AFTER_SHARD_ID':
      return shardIdOf(shard.index) > (filter.shardId ?? '');
    case 'AT_LATEST':
      return closedAtMs === undefined;
    case 'AT_TRIM_HORIZON':
      return openAt(shard, Math.max(retentionCutMs, record.createdAtMs));
    case 'AT_TIMESTAMP':
      return openAt(shard, Math.max(filter.timestampMs ?? 0, retentionCutMs, record.createdAtMs));
    case 'FROM_TIMESTAMP': {
      const fromMs = Math.max(filter.timestampMs ?? 0, retentionCutMs);
      return closedAtMs === undefined || closedAtMs >= fromMs;
    }
  }
}

/** Open at an instant: created at or before it, and not closed before it. */
function openAt(shard: ShardRecord, atMs: number): boolean {
  return shard.createdAtMs <= atMs && (shard.closedAtMs === undefined || shard.closedAtMs >= atMs);
}
