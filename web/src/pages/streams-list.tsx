/** The data streams list: status, capacity mode, open shards, retention, encryption. */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { ErrorBanner, Loading, StatusBadge, useLoader } from '../components/ui.js';
import { linkTo, streamPath } from '../router.js';
import { listStreamSummaries } from '../streams.js';

export function StreamsListPage({ client }: { client: KinesisClient }) {
  const streams = useLoader(() => listStreamSummaries(client), [client]);
  return (
    <section aria-labelledby="streams-title">
      <div class="page-header">
        <h1 id="streams-title">Data streams</h1>
        <div class="actions">
          <button type="button" onClick={streams.reload} disabled={streams.loading}>
            Refresh
          </button>
          <a class="button button-primary" href="/streams/create" onClick={linkTo('/streams/create')}>
            Create data stream
          </a>
        </div>
      </div>
      <ErrorBanner error={streams.error} title="Could not list streams." />
      {streams.data === undefined ? (
        streams.loading && <Loading />
      ) : streams.data.length === 0 ? (
        <div class="empty card">
          <h2>No data streams yet</h2>
          <p>A data stream takes records from producers and keeps them, in order per shard, for consumers.</p>
          <a class="button button-primary" href="/streams/create" onClick={linkTo('/streams/create')}>
            Create data stream
          </a>
        </div>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Data streams</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Capacity mode</th>
              <th scope="col">Open shards</th>
              <th scope="col">Retention</th>
              <th scope="col">Encryption</th>
            </tr>
          </thead>
          <tbody>
            {streams.data.map((stream) => {
              const name = stream.StreamName ?? '';
              return (
                <tr key={name}>
                  <td>
                    <a href={streamPath(name)} onClick={linkTo(streamPath(name))}>
                      {name}
                    </a>
                  </td>
                  <td>
                    <StatusBadge status={stream.StreamStatus} />
                  </td>
                  <td>{modeLabel(stream.StreamModeDetails?.StreamMode)}</td>
                  <td class="number">{stream.OpenShardCount ?? '—'}</td>
                  <td>{stream.RetentionPeriodHours ?? '—'} hours</td>
                  <td>{stream.EncryptionType === 'KMS' ? 'KMS' : 'None'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function modeLabel(mode: string | undefined): string {
  return mode === 'ON_DEMAND' ? 'On-demand' : mode === 'PROVISIONED' ? 'Provisioned' : '—';
}
