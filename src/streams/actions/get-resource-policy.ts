import { streamOfResource } from '../tag-rules.js';
import { defineAction } from './action.js';

interface GetResourcePolicyInput {
  readonly ResourceARN: string;
}

// A stream without a policy answers the empty policy "{}" (the output member is required).
export const getResourcePolicy = defineAction<GetResourcePolicyInput>(
  'GetResourcePolicy',
  async ({ service, scope }, input) => {
    const { record } = service.findStream(scope, streamOfResource(input.ResourceARN));
    return { Policy: record.policy ?? '{}' };
  },
);
