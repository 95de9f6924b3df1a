import { checkPolicy } from '../resource-policy.js';
import { streamOfResource } from '../tag-rules.js';
import { defineAction } from './action.js';

interface PutResourcePolicyInput {
  readonly ResourceARN: string;
  readonly Policy: string;
}

export const putResourcePolicy = defineAction<PutResourcePolicyInput>(
  'PutResourcePolicy',
  async ({ service, scope }, input) => {
    checkPolicy(input.Policy);
    return service.updateActiveStream(scope, streamOfResource(input.ResourceARN), (record) => ({
      next: { ...record, policy: input.Policy },
      result: undefined,
    }));
  },
);
