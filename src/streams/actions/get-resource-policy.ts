/** GetResourcePolicy: a stream's or a consumer's policy, by ARN. */
import { isConsumerArn, streamOfResource } from '../tag-rules.js';
import { defineAction, fanOutOf } from './action.js';

interface GetResourcePolicyInput {
  readonly ResourceARN: string;
}

// A resource without a policy answers the empty policy "{}" (the output member is required).
export const getResourcePolicy = defineAction<GetResourcePolicyInput>(
  'GetResourcePolicy',
  async (context, input) => {
    const { service, scope } = context;
    if (isConsumerArn(input.ResourceARN)) {
      const { record } = fanOutOf(context).consumers.find(scope, { ConsumerARN: input.ResourceARN });
      return { Policy: record.policy ?? '{}' };
    }
    const { record } = service.findStream(scope, streamOfResource(input.ResourceARN));
    return { Policy: record.policy ?? '{}' };
  },
);
