import { mergeTagList, type Tag } from '../tag-rules.js';
import { defineFirehoseAction } from './action.js';

interface TagDeliveryStreamInput {
  readonly DeliveryStreamName: string;
  readonly Tags: readonly Tag[];
}

/** Upsert: an existing key gets the new value; tagging is accepted while CREATING too. */
export const tagDeliveryStream = defineFirehoseAction<TagDeliveryStreamInput>(
  'TagDeliveryStream',
  async ({ service, scope }, input) =>
    service.change(scope, input.DeliveryStreamName, (record) => ({
      next: { ...record, tags: mergeTagList(record.tags, input.Tags) },
      result: {},
    })),
);
