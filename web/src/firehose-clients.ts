/**
 * The Firehose and Glue clients of the delivery stream pages, built from the signed-in
 * credentials like the Kinesis client (session.ts): AWS SDK v3 clients signing every call to the
 * server that served the page, with no retries so that errors show as they are.
 */
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { GlueClient } from '@aws-sdk/client-glue';
import type { Credentials } from './session.js';

function clientConfig(credentials: Credentials) {
  return {
    endpoint: window.location.origin,
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
  };
}

export function createFirehoseClient(credentials: Credentials): FirehoseClient {
  return new FirehoseClient(clientConfig(credentials));
}

export function createGlueClient(credentials: Credentials): GlueClient {
  return new GlueClient(clientConfig(credentials));
}
