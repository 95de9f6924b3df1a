/**
 * UpdateStreamRecordDistributionStrategy: switches an on-demand stream between AUTO (records are
 * spread evenly over the open shards whatever their partition key) and USER_PARTITION_KEY (the
 * key's MD5 picks the shard, the default). The change applies to the next record, with no
 * UPDATING status; records already written stay where they are. Provisioned streams have no
 * strategy: AUTO is refused with InvalidArgumentException, as AWS documents.
 */
import { invalidArgument, type ServiceError } from '../../core/errors.js';
import type { RecordDistributionStrategy } from '../shapes.sdk-additions.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface UpdateStreamRecordDistributionStrategyInput extends StreamReference {
  readonly StreamARN: string;
  readonly RecordDistributionStrategy: RecordDistributionStrategy;
}

export const autoNeedsOnDemand = (): ServiceError =>
  invalidArgument('The record distribution strategy can only be set on streams in ON_DEMAND capacity mode.');

export const updateStreamRecordDistributionStrategy =
  defineAction<UpdateStreamRecordDistributionStrategyInput>(
    'UpdateStreamRecordDistributionStrategy',
    async ({ service, scope }, input) =>
      service.updateActiveStream(scope, { StreamARN: input.StreamARN }, (record) => {
        if (record.mode !== 'ON_DEMAND') throw autoNeedsOnDemand();
        const { recordDistribution: _previous, ...rest } = record;
        return {
          next: input.RecordDistributionStrategy === 'AUTO' ? { ...rest, recordDistribution: 'AUTO' } : rest,
          result: undefined,
        };
      }),
  );
