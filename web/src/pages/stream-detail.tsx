/**
 * One data stream: its summary (status, mode, shards, retention, ARN), delete, and tabs for the
 * shard map and resharding, the data viewer, the put-records form, configuration (retention,
 * capacity mode, encryption, tags), enhanced fan-out consumers and live metrics charts. While the stream is CREATING
 * or UPDATING the summary is polled, so the page settles by itself.
 */
import {
  DeleteStreamCommand,
  type KinesisClient,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import { useEffect, useState } from 'preact/hooks';
import { TabbedViews } from '../components/tabbed-views.js';
import { ErrorBanner, Loading, StatusBadge, useAction, useLoader } from '../components/ui.js';
import { formatDate } from '../format.js';
import { linkTo, navigate, streamPath } from '../router.js';
import { describeSummary } from '../streams.js';
import { ConfigurationTab } from './configuration-tab.js';
import { ConsumersTab } from './consumers-tab.js';
import { DataViewerTab } from './data-viewer-tab.js';
import { PutRecordsTab } from './put-records-tab.js';
import { ShardsTab } from './shards-tab.js';
import { StreamMonitoringTab } from './stream-monitoring-tab.js';
import { modeLabel } from './streams-list.js';

const tabs = [
  { id: 'shards', label: 'Shards' },
  { id: 'data', label: 'Data viewer' },
  { id: 'put', label: 'Put records' },
  { id: 'configuration', label: 'Configuration' },
  { id: 'consumers', label: 'Consumers' },
  { id: 'monitoring', label: 'Monitoring' },
] as const;
const pollMs = 700;

export interface StreamTabProps {
  readonly client: KinesisClient;
  readonly stream: StreamDescriptionSummary;
  /** Asks the page to describe the stream again (after a change). */
  readonly refresh: () => void;
}

export function StreamDetailPage({
  client,
  streamName,
  tab,
}: {
  client: KinesisClient;
  streamName: string;
  tab: string;
}) {
  const summary = useLoader(() => describeSummary(client, streamName), [client, streamName]);
  const status = summary.data?.StreamStatus;
  const settling = status === 'CREATING' || status === 'UPDATING' || status === 'DELETING';
  useEffect(() => {
    if (!settling || summary.loading) return undefined;
    const timer = setTimeout(summary.reload, pollMs);
    return () => clearTimeout(timer);
  }, [settling, summary.loading, summary.data]);

  const stream = summary.data;
  return (
    <section aria-labelledby="stream-title">
      <p class="breadcrumb">
        <a href="/streams" onClick={linkTo('/streams')}>
          Data streams
        </a>{' '}
        › {streamName}
      </p>
      <div class="page-header">
        <h1 id="stream-title">
          {streamName} {stream !== undefined && <StatusBadge status={stream.StreamStatus} />}
        </h1>
        {stream !== undefined && <DeleteButton client={client} streamName={streamName} />}
      </div>
      <ErrorBanner error={summary.error} title="Could not describe the stream." />
      {stream === undefined ? (
        summary.loading && <Loading />
      ) : (
        <>
          <dl class="summary card">
            <div>
              <dt>Capacity mode</dt>
              <dd>{modeLabel(stream.StreamModeDetails?.StreamMode)}</dd>
            </div>
            <div>
              <dt>Open shards</dt>
              <dd data-testid="open-shards">{stream.OpenShardCount}</dd>
            </div>
            <div>
              <dt>Retention</dt>
              <dd>{stream.RetentionPeriodHours} hours</dd>
            </div>
            <div>
              <dt>Encryption</dt>
              <dd>{stream.EncryptionType === 'KMS' ? `KMS (${stream.KeyId ?? ''})` : 'None'}</dd>
            </div>
            <div>
              <dt>Consumers</dt>
              <dd>{stream.ConsumerCount ?? 0}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd class="nowrap">{formatDate(stream.StreamCreationTimestamp)}</dd>
            </div>
            <div class="wide">
              <dt>ARN</dt>
              <dd>
                <code>{stream.StreamARN}</code>
              </dd>
            </div>
          </dl>
          <TabbedViews
            label="Stream views"
            tabs={tabs}
            current={tab}
            pathOf={(id) => streamPath(streamName, id)}
          >
            <TabContent tab={tab} client={client} stream={stream} refresh={summary.reload} />
          </TabbedViews>
        </>
      )}
    </section>
  );
}

function TabContent({ tab, ...props }: StreamTabProps & { tab: string }) {
  // A CREATING stream has no shards to list or read yet (AWS answers ResourceInUseException).
  if (props.stream.StreamStatus === 'CREATING') {
    return <Loading label="The stream is being created; its shards appear when it is ACTIVE." />;
  }
  switch (tab) {
    case 'shards':
      return <ShardsTab {...props} />;
    case 'data':
      return <DataViewerTab {...props} />;
    case 'put':
      return <PutRecordsTab {...props} />;
    case 'configuration':
      return <ConfigurationTab {...props} />;
    case 'consumers':
      return <ConsumersTab {...props} />;
    case 'monitoring':
      return <StreamMonitoringTab {...props} />;
    default:
      return <p>There is no “{tab}” view of a stream.</p>;
  }
}

/** Deleting asks once more, inline, rather than with a browser dialog. */
function DeleteButton({ client, streamName }: { client: KinesisClient; streamName: string }) {
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
      <span>Delete {streamName} and all its records?</span>
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      <button
        type="button"
        class="button-danger"
        disabled={action.running}
        onClick={() =>
          void action.run(async () => {
            await client.send(new DeleteStreamCommand({ StreamName: streamName }));
            navigate('/streams');
          })
        }
      >
        Delete stream
      </button>
      <ErrorBanner error={action.error} />
    </div>
  );
}
