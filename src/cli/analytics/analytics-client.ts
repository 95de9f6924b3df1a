/**
 * How `tributary analytics` reaches a server: the same connection settings as `tributary streams`
 * (connection.ts), a Kinesis Analytics client, and SigV4 request signing for the live results
 * endpoint (`GET /_tributary/analytics/live`, docs/analytics-live.md), which takes the account
 * from the credentials like the API does.
 */
import { createHash, createHmac } from 'node:crypto';
import { KinesisAnalyticsClient } from '@aws-sdk/client-kinesis-analytics';
import { credentialsFor, type Connection } from '../streams/connection.js';

export function analyticsClientFor(connection: Connection): KinesisAnalyticsClient {
  return new KinesisAnalyticsClient({
    endpoint: connection.endpoint,
    region: connection.region,
    credentials: credentialsFor(connection),
  });
}

/** Headers of a SigV4-signed GET of `url` (service `kinesisanalytics`), as SDKs sign requests. */
export async function signedGetHeaders(
  connection: Connection,
  url: URL,
  now: Date,
): Promise<Record<string, string>> {
  const provider = credentialsFor(connection);
  const credentials = typeof provider === 'function' ? await provider() : provider;
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${connection.region}/kinesisanalytics/aws4_request`;
  const headers: Record<string, string> = { host: url.host, 'x-amz-date': amzDate };
  if (credentials.sessionToken !== undefined) headers['x-amz-security-token'] = credentials.sessionToken;
  const signedHeaders = Object.keys(headers).sort();
  const query = [...url.searchParams.entries()]
    .map(([name, value]) => `${encode(name)}=${encode(value)}`)
    .sort()
    .join('&');
  const canonical = [
    'GET',
    url.pathname,
    query,
    ...signedHeaders.map((name) => `${name}:${headers[name]}`),
    '',
    signedHeaders.join(';'),
    sha256Hex(''),
  ].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [connection.region, 'kinesisanalytics', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const result: Record<string, string> = {
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`,
  };
  if (credentials.sessionToken !== undefined) result['x-amz-security-token'] = credentials.sessionToken;
  return result;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();
const encode = (text: string): string =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
