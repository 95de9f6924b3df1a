/**
 * Reads a delivery stream's last delivery errors from the server (`firehose-errors.ts`). The GET is
 * signed with SigV4 in the Authorization header (service `firehose`), with the credentials and
 * region of the page's Firehose client, so the server finds the account as it does for API calls.
 */
import { Sha256 } from '@aws-crypto/sha256-browser';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { SignatureV4 } from '@smithy/signature-v4';
import { firehoseErrorsPath, type LastErrors } from './firehose-errors.js';

/** An error answer of the endpoint, shown as the API's errors are (`Code: message`). */
class EndpointError extends Error {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

export async function fetchLastErrors(firehose: FirehoseClient, name: string): Promise<LastErrors> {
  const credentials = await firehose.config.credentials();
  const region = await firehose.config.region();
  const signer = new SignatureV4({ service: 'firehose', region, credentials, sha256: Sha256 });
  const location = window.location;
  const signed = await signer.sign({
    method: 'GET',
    protocol: location.protocol,
    hostname: location.hostname,
    port: location.port === '' ? undefined : Number(location.port),
    path: firehoseErrorsPath,
    query: { DeliveryStreamName: name },
    headers: { host: location.host },
  });
  const headers: Record<string, string> = {};
  // The browser sets Host itself (the one signed: this page's host).
  for (const [header, value] of Object.entries(signed.headers))
    if (header !== 'host') headers[header] = value;
  const url = new URL(firehoseErrorsPath, location.origin);
  url.searchParams.set('DeliveryStreamName', name);
  const response = await fetch(url, { headers });
  const body = (await response.json()) as unknown;
  if (!response.ok) {
    const error = body as { __type?: string; message?: string };
    throw new EndpointError(error.__type ?? `HTTP ${response.status}`, error.message ?? response.statusText);
  }
  return body as LastErrors;
}
