/**
 * The Firehose operations Tributary implements; the dispatch table is built from this list. Every
 * operation of the AWS model is here.
 */
import type { FirehoseAction } from './action.js';
import { createDeliveryStream } from './create-delivery-stream.js';
import { deleteDeliveryStream } from './delete-delivery-stream.js';
import { describeDeliveryStream } from './describe-delivery-stream.js';
import { startDeliveryStreamEncryption, stopDeliveryStreamEncryption } from './delivery-stream-encryption.js';
import { listDeliveryStreams } from './list-delivery-streams.js';
import { listTagsForDeliveryStream } from './list-tags-for-delivery-stream.js';
import { putRecord } from './put-record.js';
import { putRecordBatch } from './put-record-batch.js';
import { tagDeliveryStream } from './tag-delivery-stream.js';
import { untagDeliveryStream } from './untag-delivery-stream.js';
import { updateDestination } from './update-destination.js';

export const firehoseActions: readonly FirehoseAction<never>[] = [
  createDeliveryStream,
  deleteDeliveryStream,
  describeDeliveryStream,
  listDeliveryStreams,
  listTagsForDeliveryStream,
  putRecord,
  putRecordBatch,
  startDeliveryStreamEncryption,
  stopDeliveryStreamEncryption,
  tagDeliveryStream,
  untagDeliveryStream,
  updateDestination,
];
