/**
 * HttpEndpointDestinationConfiguration: defaults as Describe echoes them (BufferingHints 5 MiB /
 * 300 s, RetryOptions 300 s, S3BackupMode FailedDataOnly, ContentEncoding NONE) and the
 * Description view, which leaves out EndpointConfiguration.AccessKey (the model's
 * `HttpEndpointDescription` has only Url and Name).
 */
import { limits } from '../../core/limits.js';
import type { RecordKindSpec } from './record-destination-config.js';

export const httpEndpointSpec: RecordKindSpec = {
  kind: 'HttpEndpoint',
  configurationMember: 'HttpEndpointDestinationConfiguration',
  updateMember: 'HttpEndpointDestinationUpdate',
  descriptionMember: 'HttpEndpointDestinationDescription',
  defaults: {
    BufferingHints: {
      SizeInMBs: limits.recordBufferSizeMiBDefault,
      IntervalInSeconds: limits.recordBufferIntervalSecondsDefault,
    },
    CloudWatchLoggingOptions: { Enabled: false },
    RequestConfiguration: { ContentEncoding: 'NONE' },
    RetryOptions: { DurationInSeconds: limits.recordRetryDurationSecondsDefault },
    S3BackupMode: 'FailedDataOnly',
  },
  hidden: (config) => {
    const endpoint = config.EndpointConfiguration as { Url: string; Name?: string };
    return {
      ...config,
      EndpointConfiguration: {
        Url: endpoint.Url,
        ...(endpoint.Name === undefined ? {} : { Name: endpoint.Name }),
      },
    };
  },
};
