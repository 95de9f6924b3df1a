import { streamOfResource } from '../tag-rules.js';
import { defineAction } from './action.js';

interface DeleteResourcePolicyInput {
  readonly ResourceARN: string;
}

// Deleting when there is no policy is a no-op.
export const deleteResourcePolicy = defineAction<DeleteResourcePolicyInput>(
  'DeleteResourcePolicy',
  async ({ service, scope }, input) =>
    service.updateActiveStream(scope, streamOfResource(input.ResourceARN), (record) => {
      if (record.policy === undefined) return { result: undefined };
      const { policy: _removed, ...rest } = record;
      return { next: rest, result: undefined };
    }),
);
