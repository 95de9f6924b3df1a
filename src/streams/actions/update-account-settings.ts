/**
 * UpdateAccountSettings: enables or disables the minimum throughput billing commitment, which
 * warm throughput needs. Synchronous, as on AWS; see account-settings.ts for the 24-hour rule.
 */
import { commitmentToWire } from '../account-settings.js';
import { defineAction } from './action.js';

interface UpdateAccountSettingsInput {
  readonly MinimumThroughputBillingCommitment: { readonly Status: 'ENABLED' | 'DISABLED' };
}

export const updateAccountSettings = defineAction<UpdateAccountSettingsInput>(
  'UpdateAccountSettings',
  async ({ service, scope }, input) => {
    const enable = input.MinimumThroughputBillingCommitment.Status === 'ENABLED';
    const view = await service.accountSettings.updateCommitment(scope, enable, service.clock.nowMs());
    return { MinimumThroughputBillingCommitment: commitmentToWire(view) };
  },
);
