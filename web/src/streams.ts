/**
 * Console-side helpers over the Kinesis API: list every stream with its summary, list every shard
 * of a stream (following NextToken), and wait for a stream to settle after a change.
 */
import {
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  ListStreamsCommand,
  type KinesisClient,
  type Shard,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';

const summaryConcurrency = 4;
const settlePollMs = 500;
const settleTimeoutMs = 120_000;

export async function listStreamSummaries(client: KinesisClient): Promise<StreamDescriptionSummary[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListStreamsCommand(nextToken === undefined ? { Limit: 100 } : { NextToken: nextToken }),
    );
    names.push(...(page.StreamNames ?? []));
    nextToken = page.HasMoreStreams === true ? page.NextToken : undefined;
  } while (nextToken !== undefined);

  const summaries: StreamDescriptionSummary[] = new Array<StreamDescriptionSummary>(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const index = next++;
      const result = await client.send(new DescribeStreamSummaryCommand({ StreamName: names[index] }));
      if (result.StreamDescriptionSummary !== undefined) summaries[index] = result.StreamDescriptionSummary;
    }
  };
  await Promise.all(Array.from({ length: summaryConcurrency }, worker));
  return summaries.filter((summary) => summary !== undefined);
}

export async function describeSummary(
  client: KinesisClient,
  streamName: string,
): Promise<StreamDescriptionSummary> {
  const result = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  if (result.StreamDescriptionSummary === undefined)
    throw new Error('DescribeStreamSummary returned nothing');
  return result.StreamDescriptionSummary;
}

export async function listAllShards(client: KinesisClient, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(
        nextToken === undefined ? { StreamName: streamName, MaxResults: 1000 } : { NextToken: nextToken },
      ),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return shards;
}

/** Polls until the stream leaves CREATING/UPDATING (or is gone), then returns its summary. */
export async function waitUntilSettled(
  client: KinesisClient,
  streamName: string,
): Promise<StreamDescriptionSummary> {
  const deadline = Date.now() + settleTimeoutMs;
  for (;;) {
    const summary = await describeSummary(client, streamName);
    if (summary.StreamStatus !== 'CREATING' && summary.StreamStatus !== 'UPDATING') return summary;
    if (Date.now() > deadline) throw new Error(`${streamName} is still ${summary.StreamStatus}`);
    await new Promise((resolve) => setTimeout(resolve, settlePollMs));
  }
}

export function isOpen(shard: Shard): boolean {
  return shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
}
