import { limitExceeded } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { planUniformScaling } from '../reshard.js';
import { checkActive, checkProvisioned, checkShardLimit, updating } from '../reshard-rules.js';
import type { StreamReference } from '../streams-service.js';
import { recordShardCountUpdate } from '../throughput/stream-quotas.js';
import { defineAction } from './action.js';

interface UpdateShardCountInput extends StreamReference {
  readonly TargetShardCount: number;
  readonly ScalingType: 'UNIFORM_SCALING';
}

export const updateShardCount = defineAction<UpdateShardCountInput>(
  'UpdateShardCount',
  async ({ service, scope }, input) => {
    const arn = service.findStream(scope, input).arn;
    return service.changeStream(scope, input, (record) => {
      checkActive(record);
      checkProvisioned(record, 'UpdateShardCount');
      const target = input.TargetShardCount;
      const openShards = record.shards.filter((shard) => shard.closedAtMs === undefined).length;
      const counts = `Current open shard count: ${openShards}, Target shard count: ${target}`;
      if (target > limits.shardCountMax) {
        throw limitExceeded(
          `Target shard count or number of open shards cannot be greater than ${limits.shardCountMax}. ${counts}`,
        );
      }
      if (target > openShards * 2) {
        throw limitExceeded(
          `UpdateShardCount cannot scale up over double your current open shard count. ${counts}`,
        );
      }
      if (target < openShards / 2) {
        throw limitExceeded(
          `UpdateShardCount cannot scale down below half your current open shard count. ${counts}`,
        );
      }
      checkShardLimit(service, record.accountId, record.region, target - openShards);
      const shardCountUpdatesMs = recordShardCountUpdate(service, record, service.clock.nowMs());
      const steps = planUniformScaling(record.shards, record.nextShardIndex, target);
      return {
        next: { ...updating(service, record, steps), shardCountUpdatesMs },
        result: {
          StreamName: record.name,
          StreamARN: arn,
          CurrentShardCount: openShards,
          TargetShardCount: target,
        },
      };
    });
  },
);
