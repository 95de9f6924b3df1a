/**
 * The clients the Analytics pages use, built from the signed-in credentials like the Kinesis one:
 * Kinesis Analytics (applications), Firehose (delivery streams as sources and destinations) and
 * Kinesis (streams). Every call is a signed AWS API call to the server that served the page.
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisAnalyticsClient } from '@aws-sdk/client-kinesis-analytics';
import { createKinesisClient, type Credentials } from '../session.js';

export interface AnalyticsClients {
  readonly credentials: Credentials;
  readonly analytics: KinesisAnalyticsClient;
  readonly firehose: FirehoseClient;
  readonly kinesis: KinesisClient;
}

export function createAnalyticsClients(credentials: Credentials): AnalyticsClients {
  const common = {
    endpoint: window.location.origin,
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    // As for Kinesis: the console shows errors as they are, a retry only delays the message.
    maxAttempts: 1,
  };
  return {
    credentials,
    analytics: new KinesisAnalyticsClient(common),
    firehose: new FirehoseClient(common),
    kinesis: createKinesisClient(credentials),
  };
}
