/**
 * One delivery stream: its summary (status, source, destination, encryption, version, ARN), the
 * failure AWS describes when there is one, delete, and tabs for its configuration, its live
 * metrics and its last delivery errors. While it is CREATING or DELETING (or its encryption is changing) the description is
 * polled, so the page settles by itself.
 */
import {
  DeleteDeliveryStreamCommand,
  type DeliveryStreamDescription,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { useEffect, useState } from 'preact/hooks';
import { TabbedViews } from '../components/tabbed-views.js';
import { ErrorBanner, Loading, StatusBadge, useAction, useLoader } from '../components/ui.js';
import { deliveryStreamPath, describeDeliveryStream, destinationLabel, sourceLabel } from '../firehose.js';
import { formatDate } from '../format.js';
import { linkTo, navigate } from '../router.js';
import { FirehoseConfigurationTab } from './firehose-configuration-tab.js';
import { FirehoseErrorsTab } from './firehose-errors-tab.js';
import { FirehoseMonitoringTab } from './firehose-monitoring-tab.js';
import './firehose.css';

const tabs = [
  { id: 'configuration', label: 'Configuration' },
  { id: 'monitoring', label: 'Monitoring' },
  { id: 'errors', label: 'Last errors' },
] as const;
const pollMs = 700;
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
  const described = useLoader(() => describeDeliveryStream(firehose, name), [firehose, name]);
  const stream = described.data;
  const settling =
    settlingStatuses.has(stream?.DeliveryStreamStatus ?? '') ||
    settlingEncryption.has(stream?.DeliveryStreamEncryptionConfiguration?.Status ?? '');
  useEffect(() => {
    if (!settling || described.loading) return undefined;
    const timer = setTimeout(described.reload, pollMs);
    return () => clearTimeout(timer);
  }, [settling, described.loading, described.data]);

  return (
    <section aria-labelledby="delivery-stream-title">
      <p class="breadcrumb">
        <a href="/delivery-streams" onClick={linkTo('/delivery-streams')}>
          Delivery streams
        </a>{' '}
        › {name}
      </p>
      <div class="page-header">
        <h1 id="delivery-stream-title">
          {name} {stream !== undefined && <StatusBadge status={stream.DeliveryStreamStatus} />}
        </h1>
        {stream !== undefined && <DeleteButton firehose={firehose} name={name} />}
      </div>
      <ErrorBanner error={described.error} title="Could not describe the delivery stream." />
      {stream === undefined ? (
        described.loading && <Loading />
      ) : (
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
    </section>
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

/** Deleting asks once more, inline, rather than with a browser dialog. */
function DeleteButton({ firehose, name }: { firehose: FirehoseClient; name: string }) {
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  if (!confirming) {
    return (
      <button type="button" class="button-danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div class="actions confirm" role="group" aria-label="Confirm deletion">
      <span>Delete {name}? Records not yet delivered are lost.</span>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      <button
        type="button"
        class="button-danger"
        disabled={action.running}
        onClick={() =>
          void action.run(async () => {
            await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
            navigate('/delivery-streams');
          })
        }
      >
        Delete delivery stream
      </button>
      <ErrorBanner error={action.error} />
    </div>
  );
}
