/**
 * AmazonopensearchserviceDestinationConfiguration and ElasticsearchDestinationConfiguration (the
 * same members): defaults as Describe echoes them (IndexRotationPeriod OneDay, BufferingHints
 * 5 MiB / 300 s, RetryOptions 300 s, S3BackupMode FailedDocumentsOnly, DocumentIdOptions
 * FIREHOSE_DEFAULT), exactly one of DomainARN and ClusterEndpoint, a DomainARN this server knows
 * (server setting `firehoseOpensearchDomains`). An update naming one of DomainARN and
 * ClusterEndpoint replaces the other; S3BackupMode is not in the Update shapes, so it never changes.
 */
import { invalidArgument } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import type { RecordDestinationConfig } from '../delivery-stream-model.js';
import type { DestinationContext, RecordKindSpec } from './record-destination-config.js';

const defaults = {
  IndexRotationPeriod: 'OneDay',
  BufferingHints: {
    IntervalInSeconds: limits.recordBufferIntervalSecondsDefault,
    SizeInMBs: limits.recordBufferSizeMiBDefault,
  },
  RetryOptions: { DurationInSeconds: limits.recordRetryDurationSecondsDefault },
  S3BackupMode: 'FailedDocumentsOnly',
  CloudWatchLoggingOptions: { Enabled: false },
  DocumentIdOptions: { DefaultDocumentIdFormat: 'FIREHOSE_DEFAULT' },
} as const;

const alternatives = [['DomainARN', 'ClusterEndpoint']] as const;

/** The domain name of `arn:aws:es:<region>:<account>:domain/<name>`. */
export const domainNameOf = (domainArn: string): string => domainArn.slice(domainArn.lastIndexOf('/') + 1);

function check(config: RecordDestinationConfig, context: DestinationContext): void {
  const domainArn = config.DomainARN as string | undefined;
  const clusterEndpoint = config.ClusterEndpoint as string | undefined;
  if (domainArn === undefined && clusterEndpoint === undefined) {
    throw invalidArgument('Either DomainARN or ClusterEndpoint must be specified.');
  }
  if (domainArn !== undefined && clusterEndpoint !== undefined) {
    throw invalidArgument('Only one of DomainARN and ClusterEndpoint can be specified.');
  }
  if (domainArn !== undefined && context.resolveDomain?.(domainArn) === undefined) {
    throw invalidArgument(`Domain not found: ${domainNameOf(domainArn)}`);
  }
}

export const openSearchSpec: RecordKindSpec = {
  kind: 'AmazonOpenSearchService',
  configurationMember: 'AmazonopensearchserviceDestinationConfiguration',
  updateMember: 'AmazonopensearchserviceDestinationUpdate',
  descriptionMember: 'AmazonopensearchserviceDestinationDescription',
  defaults,
  check,
  alternatives,
};

export const elasticsearchSpec: RecordKindSpec = {
  kind: 'Elasticsearch',
  configurationMember: 'ElasticsearchDestinationConfiguration',
  updateMember: 'ElasticsearchDestinationUpdate',
  descriptionMember: 'ElasticsearchDestinationDescription',
  defaults,
  check,
  alternatives,
};
