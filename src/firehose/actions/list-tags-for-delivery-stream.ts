import { limits } from '../../core/limits.js';
import { defineFirehoseAction } from './action.js';

interface ListTagsForDeliveryStreamInput {
  readonly DeliveryStreamName: string;
  readonly ExclusiveStartTagKey?: string;
  readonly Limit?: number;
}

/** Tags in key order, starting strictly after ExclusiveStartTagKey. */
export const listTagsForDeliveryStream = defineFirehoseAction<ListTagsForDeliveryStreamInput>(
  'ListTagsForDeliveryStream',
  async ({ service, scope }, input) => {
    const { record } = service.find(scope, input.DeliveryStreamName);
    const start = input.ExclusiveStartTagKey;
    const tags = record.tags.filter((tag) => start === undefined || tag.Key > start);
    const limit = input.Limit ?? limits.tagsPerDeliveryStreamMax;
    return { Tags: tags.slice(0, limit), HasMoreTags: tags.length > limit };
  },
);
