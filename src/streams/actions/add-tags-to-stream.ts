import { mergeTags } from '../tag-rules.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface AddTagsToStreamInput extends StreamReference {
  readonly Tags: Readonly<Record<string, string>>;
}

export const addTagsToStream = defineAction<AddTagsToStreamInput>(
  'AddTagsToStream',
  async ({ service, scope }, input) =>
    service.updateActiveStream(scope, input, (record) => ({
      next: { ...record, tags: mergeTags(record, input.Tags) },
      result: undefined,
    })),
);
