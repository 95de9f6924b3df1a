import { limits } from '../../core/limits.js';
import { defineAction } from './action.js';

export const describeLimits = defineAction<Record<string, never>>(
  'DescribeLimits',
  async ({ service, scope }) => {
    const streams = service.streamsIn(scope.accountId, scope.region);
    return {
      ShardLimit: service.options.accountShardLimit,
      OpenShardCount: service.openShardCount(scope.accountId, scope.region),
      OnDemandStreamCount: streams.filter((loaded) => loaded.record.mode === 'ON_DEMAND').length,
      OnDemandStreamCountLimit: limits.onDemandStreamCountLimit,
    };
  },
);
