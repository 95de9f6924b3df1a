/**
 * A delivery stream's Configuration tab: the source, the S3 destination (bucket, prefixes,
 * buffering, compression, encryption, role), record processing, record format conversion, and
 * tags (ListTagsForDeliveryStream), as DescribeDeliveryStream reports them.
 */
import {
  ListTagsForDeliveryStreamCommand,
  type ExtendedS3DestinationDescription,
  type FirehoseClient,
  type Tag,
} from '@aws-sdk/client-firehose';
import type { ComponentChildren } from 'preact';
import { ErrorBanner, Loading, useLoader } from '../components/ui.js';
import { bucketOfArn, streamNameOfArn } from '../firehose.js';
import { formatDate } from '../format.js';
import { linkTo, streamPath } from '../router.js';
import type { DeliveryStreamTabProps } from './delivery-stream-detail.js';

export function FirehoseConfigurationTab({ firehose, stream }: DeliveryStreamTabProps) {
  const destination = stream.Destinations?.[0];
  const s3 = destination?.ExtendedS3DestinationDescription;
  const kinesisSource = stream.Source?.KinesisStreamSourceDescription;
  return (
    <div class="configuration">
      <Section title="Source">
        {kinesisSource === undefined ? (
          <Item label="Type">Direct PUT</Item>
        ) : (
          <>
            <Item label="Kinesis data stream">
              <a
                href={streamPath(streamNameOfArn(kinesisSource.KinesisStreamARN ?? ''))}
                onClick={linkTo(streamPath(streamNameOfArn(kinesisSource.KinesisStreamARN ?? '')))}
              >
                {streamNameOfArn(kinesisSource.KinesisStreamARN ?? '')}
              </a>
            </Item>
            <Item label="Role" wide>
              {kinesisSource.RoleARN}
            </Item>
            <Item label="Delivery start">{formatDate(kinesisSource.DeliveryStartTimestamp)}</Item>
          </>
        )}
      </Section>
      {s3 === undefined ? (
        <Section title="Destination">
          <Item label="Destination id">{destination?.DestinationId ?? '—'}</Item>
        </Section>
      ) : (
        <S3Sections s3={s3} />
      )}
      <TagsSection firehose={firehose} name={stream.DeliveryStreamName ?? ''} />
    </div>
  );
}

function S3Sections({ s3 }: { s3: ExtendedS3DestinationDescription }) {
  const encryption = s3.EncryptionConfiguration?.KMSEncryptionConfig?.AWSKMSKeyARN;
  const conversion = s3.DataFormatConversionConfiguration;
  const schema = conversion?.SchemaConfiguration;
  const processors =
    s3.ProcessingConfiguration?.Enabled === true ? (s3.ProcessingConfiguration.Processors ?? []) : [];
  return (
    <>
      <Section title="Destination: Amazon S3">
        <Item label="Bucket" testId="config-bucket">
          {bucketOfArn(s3.BucketARN ?? '')}
        </Item>
        <Item label="Prefix">
          {s3.Prefix === undefined || s3.Prefix === '' ? 'Default (YYYY/MM/dd/HH/)' : s3.Prefix}
        </Item>
        <Item label="Error output prefix">
          {s3.ErrorOutputPrefix === undefined || s3.ErrorOutputPrefix === ''
            ? 'Default'
            : s3.ErrorOutputPrefix}
        </Item>
        {s3.FileExtension !== undefined && s3.FileExtension !== '' && (
          <Item label="File extension">{s3.FileExtension}</Item>
        )}
        {s3.CustomTimeZone !== undefined && s3.CustomTimeZone !== '' && (
          <Item label="Time zone">{s3.CustomTimeZone}</Item>
        )}
        <Item label="Role" wide>
          {s3.RoleARN}
        </Item>
      </Section>
      <Section title="Buffering, compression and encryption">
        <Item label="Buffer size" testId="config-buffer-size">
          {s3.BufferingHints?.SizeInMBs ?? '—'} MiB
        </Item>
        <Item label="Buffer interval" testId="config-buffer-interval">
          {s3.BufferingHints?.IntervalInSeconds ?? '—'} seconds
        </Item>
        <Item label="Compression" testId="config-compression">
          {s3.CompressionFormat === 'UNCOMPRESSED' ? 'Disabled' : (s3.CompressionFormat ?? '—')}
        </Item>
        <Item label="S3 encryption">{encryption === undefined ? 'Disabled' : `KMS key ${encryption}`}</Item>
      </Section>
      <Section title="Processing and conversion">
        <Item label="Record processing">
          {processors.length === 0
            ? 'Disabled'
            : processors
                .map((processor) => {
                  const parameters = (processor.Parameters ?? [])
                    .map((parameter) => `${parameter.ParameterName}=${parameter.ParameterValue}`)
                    .join(', ');
                  return parameters === '' ? processor.Type : `${processor.Type} (${parameters})`;
                })
                .join('; ')}
        </Item>
        <Item label="Record format conversion" testId="config-conversion">
          {conversion === undefined || conversion.Enabled === false
            ? 'Disabled'
            : `Apache Parquet with AWS Glue table ${schema?.DatabaseName ?? ''}.${schema?.TableName ?? ''}`}
        </Item>
      </Section>
    </>
  );
}

function TagsSection({ firehose, name }: { firehose: FirehoseClient; name: string }) {
  const tags = useLoader(() => listAllTags(firehose, name), [firehose, name]);
  return (
    <Section title="Tags">
      <ErrorBanner error={tags.error} title="Could not list the tags." />
      {tags.data === undefined ? (
        tags.loading && <Loading />
      ) : tags.data.length === 0 ? (
        <Item label="Tags">None</Item>
      ) : (
        tags.data.map((tag) => (
          <Item key={tag.Key} label={tag.Key ?? ''}>
            {tag.Value ?? ''}
          </Item>
        ))
      )}
    </Section>
  );
}

async function listAllTags(firehose: FirehoseClient, name: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let hasMore = true;
  while (hasMore) {
    const last = tags.at(-1)?.Key;
    const page = await firehose.send(
      new ListTagsForDeliveryStreamCommand({
        DeliveryStreamName: name,
        Limit: 50,
        ...(last === undefined ? {} : { ExclusiveStartTagKey: last }),
      }),
    );
    tags.push(...(page.Tags ?? []));
    hasMore = page.HasMoreTags === true && (page.Tags ?? []).length > 0;
  }
  return tags;
}

function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="card config-section" aria-label={title}>
      <h2>{title}</h2>
      <dl class="summary">{children}</dl>
    </section>
  );
}

function Item({
  label,
  children,
  testId,
  wide = false,
}: {
  label: string;
  children: ComponentChildren;
  testId?: string;
  wide?: boolean;
}) {
  return (
    <div class={wide ? 'wide' : undefined}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
