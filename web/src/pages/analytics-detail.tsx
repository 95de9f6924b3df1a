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
import { describeApplication } from '../analytics/applications.js';
import type { AnalyticsClients } from '../analytics/clients.js';
import { ConfirmDelete, DetailPage, useSettlingLoader } from '../components/detail-page.js';
import { TabbedViews } from '../components/tabbed-views.js';
import { ErrorBanner, useAction } from '../components/ui.js';
import { formatDate } from '../format.js';
import { applicationPath, navigate } from '../router.js';
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
  const detail = useSettlingLoader(
    () => describeApplication(clients.analytics, applicationName),
    [clients, applicationName],
    (application) => settlingStatuses.has(application.ApplicationStatus ?? ''),
  );
  return (
    <DetailPage
      id="application"
      parent={{ href: '/analytics', label: 'Analytics applications' }}
      name={applicationName}
      loaded={detail}
      status={(application) => application.ApplicationStatus}
      errorTitle="Could not describe the application."
      actions={(application) => (
        <ApplicationActions clients={clients} application={application} refresh={detail.reload} />
      )}
    >
      {(application) => (
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
    </DetailPage>
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

/** Stop (when running) and delete (asking once more inline). */
function ApplicationActions({ clients, application, refresh }: ApplicationTabProps) {
  const stop = useAction();
  const name = application.ApplicationName ?? '';
  return (
    <div class="actions">
      {application.ApplicationStatus === 'RUNNING' && (
        <button
          type="button"
          disabled={stop.running}
          onClick={() =>
            void stop.run(async () => {
              await clients.analytics.send(new StopApplicationCommand({ ApplicationName: name }));
              refresh();
            })
          }
        >
          Stop application
        </button>
      )}
      <ConfirmDelete
        prompt={`Delete ${name}?`}
        confirmLabel="Delete application"
        onDelete={async () => {
          await clients.analytics.send(
            new DeleteApplicationCommand({
              ApplicationName: name,
              CreateTimestamp: application.CreateTimestamp,
            }),
          );
          navigate('/analytics');
        }}
      />
      <ErrorBanner error={stop.error} />
    </div>
  );
}
