/** The delivery streams list: name, status, source, destination and creation time. */
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { ErrorBanner, Loading, StatusBadge, useLoader } from '../components/ui.js';
import {
  deliveryStreamPath,
  destinationLabel,
  listDeliveryStreamDescriptions,
  sourceLabel,
} from '../firehose.js';
import { formatDate } from '../format.js';
import { linkTo } from '../router.js';
import './firehose.css';

export function DeliveryStreamsListPage({ firehose }: { firehose: FirehoseClient }) {
  const streams = useLoader(() => listDeliveryStreamDescriptions(firehose), [firehose]);
  const createLink = (
    <a
      class="button button-primary"
      href="/delivery-streams/create"
      onClick={linkTo('/delivery-streams/create')}
    >
      Create delivery stream
    </a>
  );
  return (
    <section aria-labelledby="delivery-streams-title">
      <div class="page-header">
        <h1 id="delivery-streams-title">Delivery streams</h1>
        <div class="actions">
          <button type="button" onClick={streams.reload} disabled={streams.loading}>
            Refresh
          </button>
          {createLink}
        </div>
      </div>
      <ErrorBanner error={streams.error} title="Could not list delivery streams." />
      {streams.data === undefined ? (
        streams.loading && <Loading />
      ) : streams.data.length === 0 ? (
        <div class="empty card">
          <h2>No delivery streams yet</h2>
          <p>
            A delivery stream takes records by Direct PUT or from a data stream, buffers, converts and
            compresses them, and delivers them to a destination such as an S3 bucket.
          </p>
          {createLink}
        </div>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Delivery streams</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Source</th>
              <th scope="col">Destination</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {streams.data.map((stream) => {
              const name = stream.DeliveryStreamName ?? '';
              return (
                <tr key={name}>
                  <td>
                    <a href={deliveryStreamPath(name)} onClick={linkTo(deliveryStreamPath(name))}>
                      {name}
                    </a>
                  </td>
                  <td>
                    <StatusBadge status={stream.DeliveryStreamStatus} />
                  </td>
                  <td>{sourceLabel(stream)}</td>
                  <td>{destinationLabel(stream.Destinations?.[0])}</td>
                  <td class="nowrap">{formatDate(stream.CreateTimestamp)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
