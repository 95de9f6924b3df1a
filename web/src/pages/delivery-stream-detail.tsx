/**
 * One delivery stream: its summary (status, source, destination, encryption, version, ARN), the
 * failure AWS describes when there is one, delete, and tabs for its configuration, its live
 * metrics and its last delivery errors. While it is CREATING or DELETING (or its encryption is
 * changing) the description is polled, so the page settles by itself.
 */
import {
  DeleteDeliveryStreamCommand,
  type DeliveryStreamDescription,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { ConfirmDelete, DetailPage, useSettlingLoader } from '../components/detail-page.js';
import { TabbedViews } from '../components/tabbed-views.js';
import { deliveryStreamPath, describeDeliveryStream, destinationLabel, sourceLabel } from '../firehose.js';
import { formatDate } from '../format.js';
import { navigate } from '../router.js';
import { FirehoseConfigurationTab } from './firehose-configuration-tab.js';
import { FirehoseErrorsTab } from './firehose-errors-tab.js';
import { FirehoseMonitoringTab } from './firehose-monitoring-tab.js';
import './firehose.css';

const tabs = [
  { id: 'configuration', label: 'Configuration' },
  { id: 'monitoring', label: 'Monitoring' },
  { id: 'errors', label: 'Last errors' },
] as const;
const settlingStatuses: ReadonlySet<string> = new Set(['CREATING', 'DELETING']);
const settlingEncryption: ReadonlySet<string> = new Set(['ENABLING', 'DISABLING']);

export interface DeliveryStreamTabProps {
  readonly firehose: FirehoseClient;
  readonly stream: DeliveryStreamDescription;
}

export function DeliveryStreamDetailPage({
  firehose,
  name,
  tab,
}: {
  firehose: FirehoseClient;
  name: string;
  tab: string;
}) {
  const described = useSettlingLoader(
    () => describeDeliveryStream(firehose, name),
    [firehose, name],
    (stream) =>
      settlingStatuses.has(stream.DeliveryStreamStatus ?? '') ||
      settlingEncryption.has(stream.DeliveryStreamEncryptionConfiguration?.Status ?? ''),
  );
  return (
    <DetailPage
      id="delivery-stream"
      parent={{ href: '/delivery-streams', label: 'Delivery streams' }}
      name={name}
      loaded={described}
      status={(stream) => stream.DeliveryStreamStatus}
      errorTitle="Could not describe the delivery stream."
      actions={() => (
        <ConfirmDelete
          prompt={`Delete ${name}? Records not yet delivered are lost.`}
          confirmLabel="Delete delivery stream"
          onDelete={async () => {
            await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
            navigate('/delivery-streams');
          }}
        />
      )}
    >
      {(stream) => (
        <>
          {stream.FailureDescription !== undefined && (
            <div class="banner banner-error" role="alert">
              <strong>{stream.FailureDescription.Type}: </strong>
              {stream.FailureDescription.Details}
            </div>
          )}
          <Summary stream={stream} />
          <TabbedViews
            label="Delivery stream views"
            tabs={tabs}
            current={tab}
            pathOf={(id) => deliveryStreamPath(name, id)}
          >
            <TabContent tab={tab} firehose={firehose} stream={stream} />
          </TabbedViews>
        </>
      )}
    </DetailPage>
  );
}

function TabContent({ tab, ...props }: DeliveryStreamTabProps & { tab: string }) {
  switch (tab) {
    case 'configuration':
      return <FirehoseConfigurationTab {...props} />;
    case 'monitoring':
      return <FirehoseMonitoringTab {...props} />;
    case 'errors':
      return <FirehoseErrorsTab {...props} />;
    default:
      return <p>There is no “{tab}” view of a delivery stream.</p>;
  }
}

function Summary({ stream }: { stream: DeliveryStreamDescription }) {
  const encryption = stream.DeliveryStreamEncryptionConfiguration;
  return (
    <dl class="summary card">
      <div>
        <dt>Source</dt>
        <dd data-testid="delivery-source">{sourceLabel(stream)}</dd>
      </div>
      <div>
        <dt>Destination</dt>
        <dd data-testid="delivery-destination">{destinationLabel(stream.Destinations?.[0])}</dd>
      </div>
      <div>
        <dt>Server-side encryption</dt>
        <dd>
          {encryption?.Status === undefined || encryption.Status === 'DISABLED'
            ? 'Disabled'
            : `${encryption.Status} (${encryption.KeyType === 'CUSTOMER_MANAGED_CMK' ? (encryption.KeyARN ?? '') : 'AWS owned key'})`}
        </dd>
      </div>
      <div>
        <dt>Version</dt>
        <dd>{stream.VersionId ?? '—'}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd class="nowrap">{formatDate(stream.CreateTimestamp)}</dd>
      </div>
      <div>
        <dt>Last updated</dt>
        <dd class="nowrap">{formatDate(stream.LastUpdateTimestamp)}</dd>
      </div>
      <div class="wide">
        <dt>ARN</dt>
        <dd>
          <code>{stream.DeliveryStreamARN}</code>
        </dd>
      </div>
    </dl>
  );
}
