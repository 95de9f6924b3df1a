/**
 * RegisterStreamConsumer: a new enhanced fan-out consumer, CREATING until the transition delay
 * has passed (then ACTIVE). AWS's limits: 20 consumers per stream, 5 CREATING at once, names
 * unique per stream; Tags as on streams.
 */
import { checkActive } from '../streams-service.js';
import { consumerToWire } from '../fan-out/consumer-model.js';
import { mergeTags } from '../tag-rules.js';
import { defineAction, fanOutOf } from './action.js';

interface RegisterStreamConsumerInput {
  readonly StreamARN: string;
  readonly ConsumerName: string;
  readonly Tags?: Readonly<Record<string, string>>;
}

export const registerStreamConsumer = defineAction<RegisterStreamConsumerInput>(
  'RegisterStreamConsumer',
  async (context, input) => {
    const { service, scope } = context;
    const stream = service.findStream(scope, { StreamARN: input.StreamARN });
    // Streams that are being resharded keep taking consumers; CREATING and DELETING do not.
    if (stream.record.status !== 'UPDATING') checkActive(stream.record);
    const tags =
      input.Tags === undefined
        ? {}
        : mergeTags({ name: stream.record.name, accountId: stream.record.accountId, tags: {} }, input.Tags);
    const record = await fanOutOf(context).consumers.register(stream, input.ConsumerName, tags);
    return { Consumer: consumerToWire(record) };
  },
);
