/**
 * Console-side helpers over the Kinesis Analytics API: every application with its detail (for
 * the list's version, inputs and outputs), and the sources and destinations an application can
 * connect to (data streams and delivery streams, by ARN).
 */
import {
  DescribeDeliveryStreamCommand,
  ListDeliveryStreamsCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import {
  DescribeApplicationCommand,
  ListApplicationsCommand,
  type ApplicationDetail,
  type KinesisAnalyticsClient,
} from '@aws-sdk/client-kinesis-analytics';
import { listStreamSummaries } from '../streams.js';

const describeConcurrency = 4;

export async function describeApplication(
  client: KinesisAnalyticsClient,
  name: string,
): Promise<ApplicationDetail> {
  const result = await client.send(new DescribeApplicationCommand({ ApplicationName: name }));
  if (result.ApplicationDetail === undefined)
    throw new Error(`DescribeApplication returned no detail for ${name}`);
  return result.ApplicationDetail;
}

export async function listApplicationDetails(client: KinesisAnalyticsClient): Promise<ApplicationDetail[]> {
  const names: string[] = [];
  let exclusiveStart: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListApplicationsCommand({ Limit: 50, ExclusiveStartApplicationName: exclusiveStart }),
    );
    const batch = (page.ApplicationSummaries ?? []).map((summary) => summary.ApplicationName ?? '');
    names.push(...batch);
    if (page.HasMoreApplications !== true || batch.length === 0) break;
    exclusiveStart = batch[batch.length - 1];
  }
  return mapConcurrently(names, (name) => describeApplication(client, name));
}

/** A source or destination the console offers: a data stream or a delivery stream. */
export interface Endpoint {
  readonly kind: 'stream' | 'delivery-stream';
  readonly name: string;
  readonly arn: string;
  readonly status: string;
}

export async function listEndpoints(kinesis: KinesisClient, firehose: FirehoseClient): Promise<Endpoint[]> {
  const [streams, deliveryStreams] = await Promise.all([
    listStreamSummaries(kinesis),
    listDeliveryStreams(firehose),
  ]);
  return [
    ...streams.map((stream) => ({
      kind: 'stream' as const,
      name: stream.StreamName ?? '',
      arn: stream.StreamARN ?? '',
      status: stream.StreamStatus ?? '',
    })),
    ...deliveryStreams,
  ];
}

async function listDeliveryStreams(firehose: FirehoseClient): Promise<Endpoint[]> {
  const names: string[] = [];
  let exclusiveStart: string | undefined;
  for (;;) {
    const page = await firehose.send(
      new ListDeliveryStreamsCommand({ Limit: 100, ExclusiveStartDeliveryStreamName: exclusiveStart }),
    );
    const batch = page.DeliveryStreamNames ?? [];
    names.push(...batch);
    if (page.HasMoreDeliveryStreams !== true || batch.length === 0) break;
    exclusiveStart = batch[batch.length - 1];
  }
  return mapConcurrently(names, async (name) => {
    const result = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    const description = result.DeliveryStreamDescription;
    return {
      kind: 'delivery-stream' as const,
      name,
      arn: description?.DeliveryStreamARN ?? '',
      status: description?.DeliveryStreamStatus ?? '',
    };
  });
}

/** The stream's ARN, for the account part of a default role ARN. */
export async function streamArn(kinesis: KinesisClient, name: string): Promise<string> {
  const result = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
  return result.StreamDescriptionSummary?.StreamARN ?? '';
}

/** The account id inside an ARN (`arn:aws:service:region:account:…`). */
export function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/** The name at the end of a resource ARN (`…:stream/name`, `…:deliverystream/name`). */
export function nameOfArn(arn: string | undefined): string {
  if (arn === undefined) return '—';
  const slash = arn.lastIndexOf('/');
  return slash < 0 ? arn : arn.slice(slash + 1);
}

async function mapConcurrently<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: describeConcurrency }, worker));
  return results;
}
