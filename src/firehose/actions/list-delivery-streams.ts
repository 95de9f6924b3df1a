import { limits } from '../../core/limits.js';
import { defineFirehoseAction } from './action.js';

interface ListDeliveryStreamsInput {
  readonly Limit?: number;
  readonly DeliveryStreamType?: string;
  readonly ExclusiveStartDeliveryStreamName?: string;
}

/** Names in lexical order, starting strictly after ExclusiveStartDeliveryStreamName. */
export const listDeliveryStreams = defineFirehoseAction<ListDeliveryStreamsInput>(
  'ListDeliveryStreams',
  async ({ service, scope }, input) => {
    const start = input.ExclusiveStartDeliveryStreamName;
    const names = service
      .list(scope)
      .filter((record) => input.DeliveryStreamType === undefined || record.type === input.DeliveryStreamType)
      .map((record) => record.name)
      .filter((name) => start === undefined || name > start);
    const limit = input.Limit ?? limits.listDeliveryStreamsLimitDefault;
    return { DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit };
  },
);
