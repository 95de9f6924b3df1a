import { enhancedMonitoring, streamModeDetails } from '../stream-model.js';
import type { StreamReference } from '../streams-service.js';
import { warmThroughputToWire } from '../warm-throughput.js';
import { defineAction } from './action.js';

// StreamId is deliberately never returned: SDK endpoint rules would route later calls that carry
// it to real AWS, ignoring the configured endpoint (reference §1.9).
export const describeStreamSummary = defineAction<StreamReference>(
  'DescribeStreamSummary',
  async ({ service, scope, fanOut }, input) => {
    const loaded = service.findStream(scope, input);
    const { record, arn } = loaded;
    // WarmThroughput is shown for on-demand streams of accounts with the billing commitment.
    const warm =
      record.mode === 'ON_DEMAND' &&
      (await service.accountSettings.commitmentEnabled(scope, service.clock.nowMs()));
    return {
      StreamDescriptionSummary: {
        StreamName: record.name,
        StreamARN: arn,
        StreamStatus: record.status,
        StreamModeDetails: streamModeDetails(record),
        RetentionPeriodHours: record.retentionHours,
        StreamCreationTimestamp: new Date(record.createdAtMs),
        EnhancedMonitoring: enhancedMonitoring(record),
        EncryptionType: record.encryptionType,
        KeyId: record.keyId,
        OpenShardCount:
          record.status === 'CREATING' ? 0 : record.shards.filter((s) => s.closedAtMs === undefined).length,
        ConsumerCount: fanOut?.consumers.consumersOf(loaded).length ?? 0,
        WarmThroughput: warm ? warmThroughputToWire(record) : undefined,
        MaxRecordSizeInKiB: record.maxRecordSizeKiB,
        // Only on-demand streams have a strategy.
        RecordDistributionStrategy:
          record.mode === 'ON_DEMAND' ? (record.recordDistribution ?? 'USER_PARTITION_KEY') : undefined,
      },
    };
  },
);
