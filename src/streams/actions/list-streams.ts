import { limits } from '../../core/limits.js';
import { openPagingToken, sealPagingToken } from '../paging-token.js';
import { streamModeDetails } from '../stream-model.js';
import { defineAction } from './action.js';

interface ListStreamsInput {
  readonly Limit?: number;
  readonly ExclusiveStartStreamName?: string;
  readonly NextToken?: string;
}

interface ListStreamsToken {
  readonly accountId: string;
  readonly region: string;
  readonly after: string;
}

export const listStreams = defineAction<ListStreamsInput>(
  'ListStreams',
  async ({ service, scope }, input) => {
    const nowMs = service.clock.nowMs();
    let after = input.ExclusiveStartStreamName;
    if (input.NextToken !== undefined) {
      const token = openPagingToken<ListStreamsToken>(service.sealer, 'ListStreams', input.NextToken, nowMs);
      if (token.accountId === scope.accountId && token.region === scope.region) after = token.after;
    }
    const limit = Math.min(input.Limit ?? limits.listStreamsResultsMax, limits.listStreamsResultsMax);
    const candidates = service
      .streamsIn(scope.accountId, scope.region)
      .filter((loaded) => after === undefined || loaded.record.name > after);
    const page = candidates.slice(0, limit);
    const hasMore = candidates.length > page.length;
    const last = page[page.length - 1];
    return {
      StreamNames: page.map((loaded) => loaded.record.name),
      HasMoreStreams: hasMore,
      NextToken:
        hasMore && last !== undefined
          ? sealPagingToken(
              service.sealer,
              'ListStreams',
              { accountId: scope.accountId, region: scope.region, after: last.record.name },
              nowMs,
            )
          : undefined,
      StreamSummaries: page.map(({ record, arn }) => ({
        StreamName: record.name,
        StreamARN: arn,
        StreamStatus: record.status,
        StreamModeDetails: streamModeDetails(record),
        StreamCreationTimestamp: new Date(record.createdAtMs),
      })),
    };
  },
);
