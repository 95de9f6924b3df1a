/**
 * The Kinesis Data Streams operations Tributary implements. The dispatch table is built from
 * this list; an operation of the AWS model that is not here answers UnknownOperationException
 * (see docs/compatibility.md).
 */
import type { Action } from './action.js';
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

export const streamsActions: readonly Action<never>[] = [
  createStream,
  deleteStream,
  describeStream,
  describeStreamSummary,
  getRecords,
  getShardIterator,
  listShards,
  listStreams,
  putRecord,
  putRecords,
] as Action<never>[];
