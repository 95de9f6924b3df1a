/** DescribeStreamConsumer: one consumer by ConsumerARN, or by StreamARN and ConsumerName. */
import { consumerDescription } from '../fan-out/consumer-model.js';
import type { ConsumerReference } from '../fan-out/consumer-registry.js';
import { defineAction, fanOutOf } from './action.js';

export const describeStreamConsumer = defineAction<ConsumerReference>(
  'DescribeStreamConsumer',
  async (context, input) => {
    const { record, stream } = fanOutOf(context).consumers.find(context.scope, input);
    return { ConsumerDescription: consumerDescription(record, stream.arn) };
  },
);
