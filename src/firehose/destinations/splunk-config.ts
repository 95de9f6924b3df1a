/**
 * SplunkDestinationConfiguration: defaults as Describe echoes them (HECAcknowledgmentTimeoutInSeconds
 * 180, BufferingHints 5 MiB / 60 s, RetryOptions 300 s, S3BackupMode FailedEventsOnly). The
 * Description shape carries HECToken, so Describe shows it. S3BackupMode changes one way only,
 * FailedEventsOnly to AllEvents.
 */
import { invalidArgument } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import type { RecordDestinationConfig } from '../delivery-stream-model.js';
import type { RecordKindSpec } from './record-destination-config.js';

export const splunkSpec: RecordKindSpec = {
  kind: 'Splunk',
  configurationMember: 'SplunkDestinationConfiguration',
  updateMember: 'SplunkDestinationUpdate',
  descriptionMember: 'SplunkDestinationDescription',
  defaults: {
    HECAcknowledgmentTimeoutInSeconds: limits.splunkAckTimeoutSecondsDefault,
    RetryOptions: { DurationInSeconds: limits.recordRetryDurationSecondsDefault },
    S3BackupMode: 'FailedEventsOnly',
    CloudWatchLoggingOptions: { Enabled: false },
    BufferingHints: {
      IntervalInSeconds: limits.splunkBufferIntervalSecondsDefault,
      SizeInMBs: limits.recordBufferSizeMiBDefault,
    },
  },
  checkChange: (current: RecordDestinationConfig, next: RecordDestinationConfig) => {
    if (current.S3BackupMode === 'AllEvents' && next.S3BackupMode !== 'AllEvents') {
      throw invalidArgument('S3BackupMode can only be changed from FailedEventsOnly to AllEvents.');
    }
  },
};
