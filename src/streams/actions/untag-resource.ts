import { streamOfResource, withoutTags } from '../tag-rules.js';
import { defineAction } from './action.js';

interface UntagResourceInput {
  readonly ResourceARN: string;
  readonly TagKeys: readonly string[];
}

export const untagResource = defineAction<UntagResourceInput>(
  'UntagResource',
  async ({ service, scope }, input) =>
    service.updateActiveStream(scope, streamOfResource(input.ResourceARN), (record) => ({
      next: { ...record, tags: withoutTags(record, input.TagKeys) },
      result: undefined,
    })),
);
