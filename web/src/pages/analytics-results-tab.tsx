/**
 * Real-time analytics: the live rows of every in-application stream of a running application
 * (the source data, the streams its code creates, error_stream). See components/live-results.
 */
import type { ApplicationDetail } from '@aws-sdk/client-kinesis-analytics';
import { createdStreams } from '../analytics/sql-highlight.js';
import { LiveResults, type LiveStreamTab } from '../components/live-results.js';
import { Notice } from '../components/ui.js';
import { applicationPath, linkTo } from '../router.js';
import type { ApplicationTabProps } from './analytics-detail.js';

const liveStatuses = new Set(['RUNNING', 'STARTING', 'UPDATING']);

export function AnalyticsResultsTab({ clients, application }: ApplicationTabProps) {
  const name = application.ApplicationName ?? '';
  if (!liveStatuses.has(application.ApplicationStatus ?? '')) {
    return (
      <Notice>
        The application is {application.ApplicationStatus}: results appear while it runs.{' '}
        <a href={applicationPath(name, 'sql')} onClick={linkTo(applicationPath(name, 'sql'))}>
          Save and run its SQL
        </a>{' '}
        to start it.
      </Notice>
    );
  }
  const tabs = liveStreamTabs(application);
  return (
    <LiveResults
      credentials={clients.credentials}
      applicationName={name}
      tabs={tabs}
      initialStream={tabs.find((tab) => tab.label !== 'Source data')?.stream}
    />
  );
}

/** Source data first, then the code's streams, then error_stream. */
export function liveStreamTabs(application: ApplicationDetail): LiveStreamTab[] {
  const source = (application.InputDescriptions ?? []).flatMap((input) => input.InAppStreamNames ?? []);
  return [
    ...source.map((stream) => ({ stream, label: 'Source data' })),
    ...createdStreams(application.ApplicationCode ?? '').map((stream) => ({ stream, label: stream })),
    { stream: 'error_stream', label: 'error_stream' },
  ];
}
