/** DeleteResourcePolicy: removes a stream's or a consumer's policy; none to remove is a no-op. */
import { isConsumerArn, streamOfResource } from '../tag-rules.js';
import { defineAction, fanOutOf } from './action.js';

interface DeleteResourcePolicyInput {
  readonly ResourceARN: string;
}

export const deleteResourcePolicy = defineAction<DeleteResourcePolicyInput>(
  'DeleteResourcePolicy',
  async (context, input) => {
    const { service, scope } = context;
    if (isConsumerArn(input.ResourceARN)) {
      const consumers = fanOutOf(context).consumers;
      const found = consumers.find(scope, { ConsumerARN: input.ResourceARN });
      if (found.record.policy === undefined) return undefined;
      await consumers.update(found, ({ policy: _removed, ...rest }) => rest);
      return undefined;
    }
    return service.updateActiveStream(scope, streamOfResource(input.ResourceARN), (record) => {
      if (record.policy === undefined) return { result: undefined };
      const { policy: _removed, ...rest } = record;
      return { next: rest, result: undefined };
    });
  },
);
