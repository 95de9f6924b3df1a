/**
 * Console-side helpers over the Firehose API: list every delivery stream with its description
 * (ListDeliveryStreams pages by ExclusiveStartDeliveryStreamName; one deleted in between is left
 * out), and the short texts the list and
 * detail pages show for a delivery stream's source and destination.
 */
import {
  DescribeDeliveryStreamCommand,
  ListDeliveryStreamsCommand,
  type DeliveryStreamDescription,
  type DestinationDescription,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';

const describeConcurrency = 4;

export async function listDeliveryStreamDescriptions(
  client: FirehoseClient,
): Promise<DeliveryStreamDescription[]> {
  const names: string[] = [];
  let hasMore = true;
  while (hasMore) {
    const last = names.at(-1);
    const page = await client.send(
      new ListDeliveryStreamsCommand({
        Limit: 100,
        ...(last === undefined ? {} : { ExclusiveStartDeliveryStreamName: last }),
      }),
    );
    names.push(...(page.DeliveryStreamNames ?? []));
    hasMore = page.HasMoreDeliveryStreams === true && (page.DeliveryStreamNames ?? []).length > 0;
  }
  const descriptions = new Array<DeliveryStreamDescription | undefined>(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const index = next++;
      descriptions[index] = await describeDeliveryStream(client, names[index] ?? '').catch(
        (error: unknown) => {
          // Deleted between the list and its description (a DELETING stream finishing): not listed.
          if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
          throw error;
        },
      );
    }
  };
  await Promise.all(Array.from({ length: describeConcurrency }, worker));
  return descriptions.filter((description) => description !== undefined);
}

export async function describeDeliveryStream(
  client: FirehoseClient,
  name: string,
): Promise<DeliveryStreamDescription> {
  const result = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
  if (result.DeliveryStreamDescription === undefined)
    throw new Error('DescribeDeliveryStream returned nothing');
  return result.DeliveryStreamDescription;
}

/** `Direct PUT`, or the name of the Kinesis data stream read. */
export function sourceLabel(description: DeliveryStreamDescription): string {
  if (description.DeliveryStreamType === 'KinesisStreamAsSource') {
    const arn = description.Source?.KinesisStreamSourceDescription?.KinesisStreamARN ?? '';
    return `Kinesis data stream ${streamNameOfArn(arn)}`;
  }
  if (description.DeliveryStreamType === 'DirectPut') return 'Direct PUT';
  return description.DeliveryStreamType ?? '—';
}

export function streamNameOfArn(arn: string): string {
  const slash = arn.indexOf(':stream/');
  return slash < 0 ? arn : arn.slice(slash + ':stream/'.length);
}

/** `Amazon S3 (bucket)`, or the kind of destination when it is another. */
export function destinationLabel(destination: DestinationDescription | undefined): string {
  if (destination === undefined) return '—';
  const s3 = destination.ExtendedS3DestinationDescription ?? destination.S3DestinationDescription;
  if (s3 !== undefined) return `Amazon S3 (${bucketOfArn(s3.BucketARN ?? '')})`;
  if (destination.HttpEndpointDestinationDescription !== undefined) return 'HTTP endpoint';
  if (destination.RedshiftDestinationDescription !== undefined) return 'Amazon Redshift';
  if (destination.AmazonopensearchserviceDestinationDescription !== undefined)
    return 'Amazon OpenSearch Service';
  if (destination.ElasticsearchDestinationDescription !== undefined) return 'Amazon Elasticsearch Service';
  if (destination.SplunkDestinationDescription !== undefined) return 'Splunk';
  return 'Other';
}

export function bucketOfArn(arn: string): string {
  return arn.replace(/^arn:[^:]*:s3:::/, '');
}

export function deliveryStreamPath(name: string, tab?: string): string {
  const base = `/delivery-streams/${encodeURIComponent(name)}`;
  return tab === undefined ? base : `${base}/${tab}`;
}
