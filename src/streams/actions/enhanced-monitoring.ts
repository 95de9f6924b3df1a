/**
 * EnableEnhancedMonitoring and DisableEnhancedMonitoring switch shard-level metrics on and off;
 * `ALL` stands for the seven names. The answer names the set before and after.
 */
import type { StreamRecord } from '../stream-model.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

export const shardLevelMetricNames = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
] as const;

interface MonitoringInput extends StreamReference {
  readonly ShardLevelMetrics: readonly string[];
}

function expand(names: readonly string[]): Set<string> {
  return new Set(names.includes('ALL') ? shardLevelMetricNames : names);
}

function changeMonitoring(name: string, enable: boolean) {
  return defineAction<MonitoringInput>(name, async ({ service, scope }, input) => {
    const requested = expand(input.ShardLevelMetrics);
    return service.updateActiveStream(scope, input, (record) => {
      const before = record.shardLevelMetrics;
      const after = shardLevelMetricNames.filter((metric) =>
        enable
          ? before.includes(metric) || requested.has(metric)
          : before.includes(metric) && !requested.has(metric),
      );
      const next: StreamRecord = { ...record, shardLevelMetrics: after };
      return {
        next,
        result: {
          StreamName: record.name,
          StreamARN: service.arnOf(record),
          CurrentShardLevelMetrics: [...before],
          DesiredShardLevelMetrics: after,
        },
      };
    });
  });
}

export const enableEnhancedMonitoring = changeMonitoring('EnableEnhancedMonitoring', true);
export const disableEnhancedMonitoring = changeMonitoring('DisableEnhancedMonitoring', false);
