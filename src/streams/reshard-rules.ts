/**
 * What every reshard request checks before it is accepted, in AWS's order (recorded against real
 * Kinesis by kinesalite's suite): the shard exists, the account shard limit, the request's own
 * rules, then that the stream is ACTIVE. Accepted, the stream goes UPDATING with the steps to apply.
 */
import { resourceInUse, resourceNotFound, ServiceError } from '../core/errors.js';
import type { ReshardStep } from './reshard.js';
import { parseShardReference, shardIdOf, type ShardRecord, type StreamRecord } from './stream-model.js';
import type { StreamsService } from './streams-service.js';

export { checkActive, checkShardLimit } from './streams-service.js';

export function shardToReshard(record: StreamRecord, reference: string): ShardRecord {
  const index = parseShardReference(reference);
  const shard =
    index === undefined ? undefined : record.shards.find((candidate) => candidate.index === index);
  if (shard === undefined) {
    const shown = index === undefined ? reference : shardIdOf(index);
    throw resourceNotFound(
      `Could not find shard ${shown} in stream ${record.name} under account ${record.accountId}.`,
    );
  }
  return shard;
}

export function checkProvisioned(record: StreamRecord, operation: string): void {
  if (record.mode === 'ON_DEMAND') {
    throw new ServiceError(
      'ValidationException',
      `${operation} is not supported for stream ${record.name} under account ${record.accountId} because it is in ON_DEMAND mode.`,
    );
  }
}

export function checkOpen(record: StreamRecord, shard: ShardRecord): void {
  if (shard.closedAtMs !== undefined) {
    throw resourceInUse(
      `Shard ${shardIdOf(shard.index)} in stream ${record.name} under account ${record.accountId} has already been merged or split, and thus is not eligible for merging or splitting.`,
    );
  }
}

/** The stream, UPDATING, with the steps its transition will apply. */
export function updating(
  service: StreamsService,
  record: StreamRecord,
  steps: readonly ReshardStep[],
): StreamRecord {
  return {
    ...record,
    status: 'UPDATING',
    transition: { kind: 'update', dueAtMs: service.clock.nowMs() + service.options.transitionDelayMs, steps },
  };
}
