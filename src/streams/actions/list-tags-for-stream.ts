import { tagList } from '../tag-rules.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface ListTagsForStreamInput extends StreamReference {
  readonly ExclusiveStartTagKey?: string;
  readonly Limit?: number;
}

/** A stream has at most 50 tags, the most one page can hold, so the default page holds them all. */
const defaultLimit = 50;

export const listTagsForStream = defineAction<ListTagsForStreamInput>(
  'ListTagsForStream',
  async ({ service, scope }, input) => {
    const { record } = service.findStream(scope, input);
    const start = input.ExclusiveStartTagKey;
    const candidates = tagList(record.tags).filter((tag) => start === undefined || tag.Key > start);
    const page = candidates.slice(0, input.Limit ?? defaultLimit);
    return { Tags: page, HasMoreTags: candidates.length > page.length };
  },
);
