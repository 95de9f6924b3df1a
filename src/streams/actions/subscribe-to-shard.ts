/**
 * SubscribeToShard: every check AWS answers with an HTTP error runs first (consumer found and
 * ACTIVE, shard found, starting position valid, no live subscription of the consumer to the
 * shard within the last 5 s); then the answer is an event stream that `Subscription` pushes
 * records on (fan-out/subscription.ts).
 */
import { refuseDryRun, ServiceError } from '../../core/errors.js';
import { EventStreamReply } from '../../protocol/event-stream-reply.js';
import { consumerNotActive, type ConsumerRecord } from '../fan-out/consumer-model.js';
import { Subscription } from '../fan-out/subscription.js';
import { findShard, startingOffset, type ShardIteratorType } from '../shard-position.js';
import { shardIdOf } from '../stream-model.js';
import { defineAction, fanOutOf } from './action.js';

interface SubscribeToShardInput {
  readonly ConsumerARN: string;
  readonly ShardId: string;
  readonly StartingPosition: {
    readonly Type: ShardIteratorType;
    readonly SequenceNumber?: string;
    readonly Timestamp?: Date;
  };
  readonly DryRun?: boolean;
}

export const subscribeToShard = defineAction<SubscribeToShardInput>(
  'SubscribeToShard',
  async (context, input) => {
    const { service, scope } = context;
    const fanOut = fanOutOf(context);
    const consumer = fanOut.consumers.find(scope, { ConsumerARN: input.ConsumerARN });
    if (consumer.record.status !== 'ACTIVE') throw consumerNotActive(consumer.record);
    const found = findShard(service, scope, { StreamARN: consumer.stream.arn }, input.ShardId);
    const position = input.StartingPosition;
    const offset = await startingOffset(
      service,
      found,
      position.Type,
      position.SequenceNumber,
      position.Timestamp,
    );
    refuseDryRun(input);
    const subscription = new Subscription(
      {
        service,
        currentConsumer: (key, createdAtMs): ConsumerRecord | undefined =>
          fanOut.consumers.current(key, createdAtMs),
        pacer: fanOut.pacer,
        identity: { consumerArn: input.ConsumerARN, shardId: shardIdOf(found.shard.index) },
        log: fanOut.log,
      },
      {
        consumerKey: consumer.key,
        consumer: consumer.record,
        streamKey: found.loaded.key,
        stream: found.loaded.record,
        shardIndex: found.shard.index,
        logId: found.logId,
        startOffset: offset,
      },
    );
    try {
      fanOut.subscriptions.claim(subscription);
    } catch (error) {
      // AWS counts a refusal for a live subscription of the consumer as SubscribeToShard.RateExceeded.
      if (error instanceof ServiceError && error.code === 'ResourceInUseException') {
        service.metrics.recordSubscribeRateExceeded(found.loaded.record);
      }
      throw error;
    }
    const series = service.metrics.series(found.loaded.key);
    if (series !== undefined) series.metrics.subscribeToShardSuccess.value++;
    return new EventStreamReply((sink) => void subscription.run(sink));
  },
);
