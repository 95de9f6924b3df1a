import { withoutTags } from '../tag-rules.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface RemoveTagsFromStreamInput extends StreamReference {
  readonly TagKeys: readonly string[];
}

// Keys the stream does not have are ignored, as on AWS.
export const removeTagsFromStream = defineAction<RemoveTagsFromStreamInput>(
  'RemoveTagsFromStream',
  async ({ service, scope }, input) =>
    service.updateActiveStream(scope, input, (record) => ({
      next: { ...record, tags: withoutTags(record, input.TagKeys) },
      result: undefined,
    })),
);
