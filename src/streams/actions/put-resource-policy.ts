/** PutResourcePolicy: a policy on a stream or an enhanced fan-out consumer, by ARN. */
import { checkPolicy } from '../resource-policy.js';
import { isConsumerArn, streamOfResource } from '../tag-rules.js';
import { defineAction, fanOutOf } from './action.js';

interface PutResourcePolicyInput {
  readonly ResourceARN: string;
  readonly Policy: string;
}

export const putResourcePolicy = defineAction<PutResourcePolicyInput>(
  'PutResourcePolicy',
  async (context, input) => {
    const { service, scope } = context;
    checkPolicy(input.Policy);
    if (isConsumerArn(input.ResourceARN)) {
      const consumers = fanOutOf(context).consumers;
      const found = consumers.find(scope, { ConsumerARN: input.ResourceARN });
      await consumers.update(found, (record) => ({ ...record, policy: input.Policy }));
      return undefined;
    }
    return service.updateActiveStream(scope, streamOfResource(input.ResourceARN), (record) => ({
      next: { ...record, policy: input.Policy },
      result: undefined,
    }));
  },
);
