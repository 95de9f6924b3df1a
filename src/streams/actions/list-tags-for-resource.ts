/** ListTagsForResource: the tags of a stream or an enhanced fan-out consumer, by key. */
import { isConsumerArn, streamOfResource, tagList } from '../tag-rules.js';
import { defineAction, fanOutOf } from './action.js';

interface ListTagsForResourceInput {
  readonly ResourceARN: string;
}

export const listTagsForResource = defineAction<ListTagsForResourceInput>(
  'ListTagsForResource',
  async (context, input) => {
    const { service, scope } = context;
    if (isConsumerArn(input.ResourceARN)) {
      const { record } = fanOutOf(context).consumers.find(scope, { ConsumerARN: input.ResourceARN });
      return { Tags: tagList(record.tags) };
    }
    const { record } = service.findStream(scope, streamOfResource(input.ResourceARN));
    return { Tags: tagList(record.tags) };
  },
);
