import { defineFirehoseAction } from './action.js';

interface UntagDeliveryStreamInput {
  readonly DeliveryStreamName: string;
  readonly TagKeys: readonly string[];
}

/** Removes the named tags; unknown keys are ignored. */
export const untagDeliveryStream = defineFirehoseAction<UntagDeliveryStreamInput>(
  'UntagDeliveryStream',
  async ({ service, scope }, input) =>
    service.change(scope, input.DeliveryStreamName, (record) => {
      const tags = record.tags.filter((tag) => !input.TagKeys.includes(tag.Key));
      return tags.length === record.tags.length ? { result: {} } : { next: { ...record, tags }, result: {} };
    }),
);
