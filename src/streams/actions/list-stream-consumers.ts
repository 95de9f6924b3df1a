/**
 * ListStreamConsumers: a stream's consumers by name, paged with MaxResults (default 100) and a
 * sealed NextToken (300 s, tied to the stream's incarnation). StreamCreationTimestamp picks the
 * incarnation of a stream name: one created at another time is not found.
 */
import { invalidArgument } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { consumerToWire } from '../fan-out/consumer-model.js';
import { openPagingToken, sealPagingToken } from '../paging-token.js';
import { streamNotFound } from '../streams-service.js';
import { defineAction, fanOutOf } from './action.js';

interface ListStreamConsumersInput {
  readonly StreamARN: string;
  readonly NextToken?: string;
  readonly MaxResults?: number;
  readonly StreamCreationTimestamp?: Date;
}

interface ListStreamConsumersToken {
  readonly streamId: string;
  readonly after: string;
}

const tokenKind = 'ListStreamConsumers';

export const listStreamConsumers = defineAction<ListStreamConsumersInput>(
  'ListStreamConsumers',
  async (context, input) => {
    const { service, scope } = context;
    const nowMs = service.clock.nowMs();
    const stream = service.findStream(scope, { StreamARN: input.StreamARN });
    const created = input.StreamCreationTimestamp?.getTime();
    // boto3 sends whole seconds, the other SDKs milliseconds: either names the stream.
    if (
      created !== undefined &&
      created !== stream.record.createdAtMs &&
      created !== Math.floor(stream.record.createdAtMs / 1000) * 1000
    ) {
      throw streamNotFound(stream.record.name, stream.record.accountId);
    }
    let after: string | undefined;
    if (input.NextToken !== undefined) {
      const token = openPagingToken<ListStreamConsumersToken>(
        service.sealer,
        tokenKind,
        input.NextToken,
        nowMs,
      );
      if (token.streamId !== stream.record.streamId)
        throw invalidArgument(`Invalid NextToken: ${input.NextToken}`);
      after = token.after;
    }
    const candidates = fanOutOf(context)
      .consumers.consumersOf(stream)
      .filter((consumer) => after === undefined || consumer.name > after);
    const page = candidates.slice(0, input.MaxResults ?? limits.listStreamConsumersResultsDefault);
    const last = page[page.length - 1];
    return {
      Consumers: page.map(consumerToWire),
      NextToken:
        candidates.length > page.length && last !== undefined
          ? sealPagingToken(
              service.sealer,
              tokenKind,
              { streamId: stream.record.streamId, after: last.name },
              nowMs,
            )
          : undefined,
    };
  },
);
