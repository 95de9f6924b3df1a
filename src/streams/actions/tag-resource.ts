import { mergeTags, streamOfResource } from '../tag-rules.js';
import { defineAction } from './action.js';

interface TagResourceInput {
  readonly ResourceARN: string;
  readonly Tags: Readonly<Record<string, string>>;
}

export const tagResource = defineAction<TagResourceInput>('TagResource', async ({ service, scope }, input) =>
  service.updateActiveStream(scope, streamOfResource(input.ResourceARN), (record) => ({
    next: { ...record, tags: mergeTags(record, input.Tags) },
    result: undefined,
  })),
);
