/**
 * One Analytics application: its summary (status, version, description, ARN), start/stop and
 * delete, and tabs for the source (connect a stream, discover its schema), the SQL editor, the
 * real-time results and the destinations. While the application is STARTING, STOPPING, UPDATING
 * or DELETING it is described again every moment, so the page settles by itself.
 */
import {
  DeleteApplicationCommand,
  StopApplicationCommand,
  type ApplicationDetail,
} from '@aws-sdk/client-kinesis-analytics';
import { useEffect, useState } from 'preact/hooks';
import { describeApplication } from '../analytics/applications.js';
import type { AnalyticsClients } from '../analytics/clients.js';
import { TabbedViews } from '../components/tabbed-views.js';
import { ErrorBanner, Loading, StatusBadge, useAction, useLoader } from '../components/ui.js';
import { formatDate } from '../format.js';
import { applicationPath, linkTo, navigate } from '../router.js';
import { AnalyticsDestinationsTab } from './analytics-destinations-tab.js';
import { AnalyticsResultsTab } from './analytics-results-tab.js';
import { AnalyticsSourceTab } from './analytics-source-tab.js';
import { AnalyticsSqlTab } from './analytics-sql-tab.js';
import { inputsText, outputsText } from './analytics-list.js';

const tabs = [
  { id: 'source', label: 'Source' },
  { id: 'sql', label: 'SQL editor' },
  { id: 'results', label: 'Real-time analytics' },
  { id: 'destinations', label: 'Destinations' },
] as const;
const pollMs = 700;
const settlingStatuses = new Set(['STARTING', 'STOPPING', 'UPDATING', 'DELETING', 'AUTOSCALING']);

export interface ApplicationTabProps {
  readonly clients: AnalyticsClients;
  readonly application: ApplicationDetail;
  /** Asks the page to describe the application again (after a change). */
  readonly refresh: () => void;
}

export function AnalyticsDetailPage({
  clients,
  applicationName,
  tab,
}: {
  clients: AnalyticsClients;
  applicationName: string;
  tab: string;
}) {
  const detail = useLoader(
    () => describeApplication(clients.analytics, applicationName),
    [clients, applicationName],
  );
  const status = detail.data?.ApplicationStatus ?? '';
  useEffect(() => {
    if (!settlingStatuses.has(status) || detail.loading) return undefined;
    const timer = setTimeout(detail.reload, pollMs);
    return () => clearTimeout(timer);
  }, [status, detail.loading, detail.data]);

  const application = detail.data;
  return (
    <section aria-labelledby="application-title">
      <p class="breadcrumb">
        <a href="/analytics" onClick={linkTo('/analytics')}>
          Analytics applications
        </a>{' '}
        › {applicationName}
      </p>
      <div class="page-header">
        <h1 id="application-title">
          {applicationName}{' '}
          {application !== undefined && <StatusBadge status={application.ApplicationStatus} />}
        </h1>
        {application !== undefined && (
          <ApplicationActions clients={clients} application={application} refresh={detail.reload} />
        )}
      </div>
      <ErrorBanner error={detail.error} title="Could not describe the application." />
      {application === undefined ? (
        detail.loading && <Loading />
      ) : (
        <>
          <dl class="summary card">
            <div>
              <dt>Version</dt>
              <dd data-testid="application-version">{application.ApplicationVersionId}</dd>
            </div>
            <div>
              <dt>Source</dt>
              <dd>{inputsText(application)}</dd>
            </div>
            <div>
              <dt>Destinations</dt>
              <dd>{outputsText(application)}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd class="nowrap">{formatDate(application.CreateTimestamp)}</dd>
            </div>
            {application.ApplicationDescription !== undefined &&
              application.ApplicationDescription !== '' && (
                <div class="wide">
                  <dt>Description</dt>
                  <dd>{application.ApplicationDescription}</dd>
                </div>
              )}
            <div class="wide">
              <dt>ARN</dt>
              <dd>
                <code>{application.ApplicationARN}</code>
              </dd>
            </div>
          </dl>
          <TabbedViews
            label="Application views"
            tabs={tabs}
            current={tab}
            pathOf={(id) => applicationPath(applicationName, id)}
          >
            <TabContent tab={tab} clients={clients} application={application} refresh={detail.reload} />
          </TabbedViews>
        </>
      )}
    </section>
  );
}

function TabContent({ tab, ...props }: ApplicationTabProps & { tab: string }) {
  switch (tab) {
    case 'source':
      return <AnalyticsSourceTab {...props} />;
    case 'sql':
      return <AnalyticsSqlTab {...props} />;
    case 'results':
      return <AnalyticsResultsTab {...props} />;
    case 'destinations':
      return <AnalyticsDestinationsTab {...props} />;
    default:
      return <p>There is no “{tab}” view of an application.</p>;
  }
}

/** Stop (when running) and delete, each asking once more inline. */
function ApplicationActions({ clients, application, refresh }: ApplicationTabProps) {
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const name = application.ApplicationName ?? '';
  const running = application.ApplicationStatus === 'RUNNING';
  if (confirming) {
    return (
      <div class="actions confirm" role="group" aria-label="Confirm deletion">
        <span>Delete {name}?</span>
        <button type="button" onClick={() => setConfirming(false)}>
          Cancel
        </button>
        <button
          type="button"
          class="button-danger"
          disabled={action.running}
          onClick={() =>
            void action.run(async () => {
              await clients.analytics.send(
                new DeleteApplicationCommand({
                  ApplicationName: name,
                  CreateTimestamp: application.CreateTimestamp,
                }),
              );
              navigate('/analytics');
            })
          }
        >
          Delete application
        </button>
        <ErrorBanner error={action.error} />
      </div>
    );
  }
  return (
    <div class="actions">
      {running && (
        <button
          type="button"
          disabled={action.running}
          onClick={() =>
            void action.run(async () => {
              await clients.analytics.send(new StopApplicationCommand({ ApplicationName: name }));
              refresh();
            })
          }
        >
          Stop application
        </button>
      )}
      <button type="button" class="button-danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
      <ErrorBanner error={action.error} />
    </div>
  );
}
