/** UntagResource: removes tags from a stream or an enhanced fan-out consumer, by ARN. */
import { isConsumerArn, streamOfResource, withoutTags } from '../tag-rules.js';
import { defineAction, fanOutOf } from './action.js';

interface UntagResourceInput {
  readonly ResourceARN: string;
  readonly TagKeys: readonly string[];
}

export const untagResource = defineAction<UntagResourceInput>('UntagResource', async (context, input) => {
  const { service, scope } = context;
  if (isConsumerArn(input.ResourceARN)) {
    const consumers = fanOutOf(context).consumers;
    const found = consumers.find(scope, { ConsumerARN: input.ResourceARN });
    await consumers.update(found, (record) => ({ ...record, tags: withoutTags(record, input.TagKeys) }));
    return undefined;
  }
  return service.updateActiveStream(scope, streamOfResource(input.ResourceARN), (record) => ({
    next: { ...record, tags: withoutTags(record, input.TagKeys) },
    result: undefined,
  }));
});
