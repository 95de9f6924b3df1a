/**
 * The Kinesis Data Streams operations Tributary implements. The dispatch table is built from
 * this list; an operation of the AWS model that is not here answers UnknownOperationException
 * (see docs/compatibility.md).
 */
import type { Action } from './action.js';
import { addTagsToStream } from './add-tags-to-stream.js';
import { deleteResourcePolicy } from './delete-resource-policy.js';
import { describeAccountSettings } from './describe-account-settings.js';
import { describeLimits } from './describe-limits.js';
import { disableEnhancedMonitoring, enableEnhancedMonitoring } from './enhanced-monitoring.js';
import { getResourcePolicy } from './get-resource-policy.js';
import { mergeShards } from './merge-shards.js';
import { splitShard } from './split-shard.js';
import { startStreamEncryption } from './start-stream-encryption.js';
import { stopStreamEncryption } from './stop-stream-encryption.js';
import { updateShardCount } from './update-shard-count.js';
import { updateStreamMode } from './update-stream-mode.js';
import { updateStreamRecordDistributionStrategy } from './update-stream-record-distribution-strategy.js';
import { listTagsForResource } from './list-tags-for-resource.js';
import { listTagsForStream } from './list-tags-for-stream.js';
import { putResourcePolicy } from './put-resource-policy.js';
import { removeTagsFromStream } from './remove-tags-from-stream.js';
import { decreaseStreamRetentionPeriod, increaseStreamRetentionPeriod } from './stream-retention.js';
import { tagResource } from './tag-resource.js';
import { untagResource } from './untag-resource.js';
import { updateAccountSettings } from './update-account-settings.js';
import { updateMaxRecordSize } from './update-max-record-size.js';
import { updateStreamWarmThroughput } from './update-stream-warm-throughput.js';
import { createStream } from './create-stream.js';
import { deleteStream } from './delete-stream.js';
import { describeStream } from './describe-stream.js';
import { describeStreamSummary } from './describe-stream-summary.js';
import { getRecords } from './get-records.js';
import { getShardIterator } from './get-shard-iterator.js';
import { listShards } from './list-shards.js';
import { listStreams } from './list-streams.js';
import { putRecord } from './put-record.js';
import { putRecords } from './put-records.js';
import { deregisterStreamConsumer } from './deregister-stream-consumer.js';
import { describeStreamConsumer } from './describe-stream-consumer.js';
import { listStreamConsumers } from './list-stream-consumers.js';
import { registerStreamConsumer } from './register-stream-consumer.js';
import { subscribeToShard } from './subscribe-to-shard.js';

export const streamsActions: readonly Action<never>[] = [
  addTagsToStream,
  createStream,
  decreaseStreamRetentionPeriod,
  deleteResourcePolicy,
  describeAccountSettings,
  describeLimits,
  disableEnhancedMonitoring,
  enableEnhancedMonitoring,
  getResourcePolicy,
  increaseStreamRetentionPeriod,
  listTagsForResource,
  listTagsForStream,
  mergeShards,
  splitShard,
  startStreamEncryption,
  stopStreamEncryption,
  updateShardCount,
  updateStreamMode,
  updateStreamRecordDistributionStrategy,
  putResourcePolicy,
  removeTagsFromStream,
  tagResource,
  untagResource,
  updateAccountSettings,
  updateMaxRecordSize,
  updateStreamWarmThroughput,
  deleteStream,
  describeStream,
  describeStreamSummary,
  getRecords,
  getShardIterator,
  listShards,
  listStreams,
  putRecord,
  putRecords,
  deregisterStreamConsumer,
  describeStreamConsumer,
  listStreamConsumers,
  registerStreamConsumer,
  subscribeToShard,
] as Action<never>[];
