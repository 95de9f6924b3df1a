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
import { ConfirmDelete, DetailPage, useSettlingLoader } from '../components/detail-page.js';
import { TabbedViews } from '../components/tabbed-views.js';
import { Loading } from '../components/ui.js';
import { formatDate } from '../format.js';
import { navigate, streamPath } from '../router.js';
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
const settlingStatuses: ReadonlySet<string> = new Set(['CREATING', 'UPDATING', 'DELETING']);

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
  const summary = useSettlingLoader(
    () => describeSummary(client, streamName),
    [client, streamName],
    (stream) => settlingStatuses.has(stream.StreamStatus ?? ''),
  );
  return (
    <DetailPage
      id="stream"
      parent={{ href: '/streams', label: 'Data streams' }}
      name={streamName}
      loaded={summary}
      status={(stream) => stream.StreamStatus}
      errorTitle="Could not describe the stream."
      actions={() => (
        <ConfirmDelete
          prompt={`Delete ${streamName} and all its records?`}
          confirmLabel="Delete stream"
          onDelete={async () => {
            await client.send(new DeleteStreamCommand({ StreamName: streamName }));
            navigate('/streams');
          }}
        />
      )}
    >
      {(stream) => (
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
    </DetailPage>
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
