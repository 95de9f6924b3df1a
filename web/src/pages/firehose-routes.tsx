/**
 * The delivery stream pages under /delivery-streams: the list, the create wizard, and a delivery
 * stream's page with its tabs. Builds the Firehose and Glue clients from the signed-in
 * credentials (the Kinesis client comes from the shell).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { useMemo } from 'preact/hooks';
import { createFirehoseClient, createGlueClient } from '../firehose-clients.js';
import type { Credentials } from '../session.js';
import { CreateDeliveryStreamPage } from './create-delivery-stream.js';
import { DeliveryStreamDetailPage } from './delivery-stream-detail.js';
import { DeliveryStreamsListPage } from './delivery-streams-list.js';

/** `segments` are the path's decoded segments after `delivery-streams`. */
export function FirehoseRoutes({
  segments,
  credentials,
  kinesis,
}: {
  segments: readonly string[];
  credentials: Credentials;
  kinesis: KinesisClient;
}) {
  const firehose = useMemo(() => createFirehoseClient(credentials), [credentials]);
  const glue = useMemo(() => createGlueClient(credentials), [credentials]);
  const [first, second] = segments;
  if (first === undefined) return <DeliveryStreamsListPage firehose={firehose} />;
  if (first === 'create' && second === undefined) {
    return <CreateDeliveryStreamPage firehose={firehose} glue={glue} kinesis={kinesis} />;
  }
  if (segments.length <= 2) {
    return <DeliveryStreamDetailPage firehose={firehose} name={first} tab={second ?? 'configuration'} />;
  }
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no delivery stream page here.</p>
    </section>
  );
}
