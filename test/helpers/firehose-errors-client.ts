/**
 * Reads `GET /_tributary/firehose/errors` as the console does: a GET signed with SigV4 in the
 * Authorization header (the SDK's own signer, service `firehose`), or unsigned to see the error.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

import { firehoseErrorsPath } from '../../web/src/firehose-errors.js';

export type { DeliveryErrorRow, LastErrors as LastErrorsReply } from '../../web/src/firehose-errors.js';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (and HMAC-SHA-256 with a secret) in the Checksum shape the signer takes. */
class NodeSha256 {
  readonly #secret: SourceData | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.#secret = secret;
    this.#hash = this.#fresh();
  }

  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(this.#secret));
  }
}

export async function getLastErrors(
  endpoint: string,
  query: Readonly<Record<string, string>>,
  options: { signed?: boolean; accessKeyId?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const url = new URL(firehoseErrorsPath, endpoint);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  let headers: Record<string, string> = {};
  if (options.signed !== false) {
    const signer = new SignatureV4({
      service: 'firehose',
      region: 'us-east-1',
      credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: 'test' },
      sha256: NodeSha256,
    });
    const signed = await signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host },
    });
    headers = { ...(signed.headers as Record<string, string>) };
    delete headers.host;
  }
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as unknown };
}
