/** DescribeAccountSettings: the minimum throughput billing commitment of the caller's account. */
import { commitmentToWire } from '../account-settings.js';
import { defineAction } from './action.js';

export const describeAccountSettings = defineAction<Record<string, never>>(
  'DescribeAccountSettings',
  async ({ service, scope }) => {
    const view = await service.accountSettings.commitment(scope, service.clock.nowMs());
    return { MinimumThroughputBillingCommitment: commitmentToWire(view) };
  },
);
