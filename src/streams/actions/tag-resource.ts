/** TagResource: tags on a stream or an enhanced fan-out consumer, by ARN. */
import { isConsumerArn, mergeTags, streamOfResource } from '../tag-rules.js';
import { defineAction, fanOutOf } from './action.js';

interface TagResourceInput {
  readonly ResourceARN: string;
  readonly Tags: Readonly<Record<string, string>>;
}

export const tagResource = defineAction<TagResourceInput>('TagResource', async (context, input) => {
  const { service, scope } = context;
  if (isConsumerArn(input.ResourceARN)) {
    const consumers = fanOutOf(context).consumers;
    const found = consumers.find(scope, { ConsumerARN: input.ResourceARN });
    await consumers.update(found, (record) => ({
      ...record,
      tags: mergeTags({ name: record.name, accountId: record.accountId, tags: record.tags }, input.Tags),
    }));
    return undefined;
  }
  return service.updateActiveStream(scope, streamOfResource(input.ResourceARN), (record) => ({
    next: { ...record, tags: mergeTags(record, input.Tags) },
    result: undefined,
  }));
});
