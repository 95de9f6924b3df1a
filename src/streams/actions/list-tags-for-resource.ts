import { streamOfResource, tagList } from '../tag-rules.js';
import { defineAction } from './action.js';

interface ListTagsForResourceInput {
  readonly ResourceARN: string;
}

export const listTagsForResource = defineAction<ListTagsForResourceInput>(
  'ListTagsForResource',
  async ({ service, scope }, input) => {
    const { record } = service.findStream(scope, streamOfResource(input.ResourceARN));
    return { Tags: tagList(record.tags) };
  },
);
