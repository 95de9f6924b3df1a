/**
 * The S3 destination over a real S3 endpoint (AWS S3, MinIO, Ceph RGW, s3rver…), through the
 * official `@aws-sdk/client-s3`. Objects are written with one PutObject each: S3 makes an object
 * visible whole once PutObject succeeds, which is the ObjectSink contract.
 *
 * Failures reject with `SinkError` whose code is the destination error Firehose reports for S3
 * (`S3.NoSuchBucket`, `S3.AccessDenied`, `S3.InvalidAccessKeyId`, `S3.SignatureDoesNotMatch`, …:
 * the S3 error code prefixed with `S3.`); a network failure or an answer with no S3 error code is
 * `InternalError`. The delivery worker retries every one of them.
 *
 * Checksums are sent and checked only where S3 requires them, as many S3-compatible servers do
 * not know the flexible-checksum headers newer SDKs add by default.
 *
 * The SDK is imported on the first call, not with this module: a server that never talks to an
 * S3 endpoint does not carry it (about 20 MB and a third of a second at start).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { SinkError, type ObjectMetadata, type ObjectSink } from './object-sink.js';

export interface S3EndpointOptions {
  /** `http(s)://host:port`; AWS's regional endpoint when absent. */
  readonly endpoint?: string;
  readonly region: string;
  /** Both or neither; the SDK's default credential chain when neither. */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  /** `http://host/bucket/key` rather than `http://bucket.host/key`. */
  readonly forcePathStyle: boolean;
}

/** Names the SDK gives an answer that carried no S3 error code. */
const unnamedErrors = new Set(['Error', 'Unknown', 'UnknownError']);

/** How long one S3 call may take before it counts as failed (the worker then retries). */
const requestTimeoutMs = 60_000;
/** SDK-level attempts per call; the delivery worker retries beyond that. */
const attemptsPerCall = 3;

type S3Sdk = typeof import('@aws-sdk/client-s3');

interface Connection {
  readonly sdk: S3Sdk;
  readonly client: S3Client;
}

export class S3EndpointSink implements ObjectSink {
  readonly #options: S3EndpointOptions;
  #connection: Promise<Connection> | undefined;
  readonly #description: string;

  constructor(options: S3EndpointOptions) {
    this.#options = options;
    this.#description = options.endpoint ?? `S3 in ${options.region}`;
  }

  #connect(): Promise<Connection> {
    this.#connection ??= import('@aws-sdk/client-s3').then((sdk) => ({ sdk, client: this.#newClient(sdk) }));
    return this.#connection;
  }

  #newClient(sdk: S3Sdk): S3Client {
    const options = this.#options;
    const credentials =
      options.accessKeyId !== undefined && options.secretAccessKey !== undefined
        ? {
            accessKeyId: options.accessKeyId,
            secretAccessKey: options.secretAccessKey,
            ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
          }
        : undefined;
    return new sdk.S3Client({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
      forcePathStyle: options.forcePathStyle,
      maxAttempts: attemptsPerCall,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { requestTimeout: requestTimeoutMs },
    });
  }

  async putObject(bucket: string, key: string, body: Buffer, metadata: ObjectMetadata): Promise<void> {
    const { sdk, client } = await this.#connect();
    try {
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: metadata.contentType,
          ...(metadata.contentEncoding === undefined ? {} : { ContentEncoding: metadata.contentEncoding }),
        }),
      );
    } catch (error) {
      throw this.#sinkError(sdk, error, `cannot write object ${key} to bucket ${bucket}`);
    }
  }

  async getObject(bucket: string, key: string): Promise<Buffer | undefined> {
    const { sdk, client } = await this.#connect();
    try {
      const answer = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      if (answer.Body === undefined) return Buffer.alloc(0);
      return Buffer.from(await answer.Body.transformToByteArray());
    } catch (error) {
      // A missing bucket reads as no object, as the embedded directory does.
      if (
        error instanceof sdk.S3ServiceException &&
        (error.name === 'NoSuchKey' || error.name === 'NoSuchBucket')
      )
        return undefined;
      throw this.#sinkError(sdk, error, `cannot read object ${key} of bucket ${bucket}`);
    }
  }

  async listObjects(bucket: string, prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    const { sdk, client } = await this.#connect();
    try {
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: bucket,
            ...(prefix === '' ? {} : { Prefix: prefix }),
            ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
          }),
        );
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
        continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (continuationToken !== undefined);
    } catch (error) {
      if (error instanceof sdk.S3ServiceException && error.name === 'NoSuchBucket') return [];
      throw this.#sinkError(sdk, error, `cannot list bucket ${bucket}`);
    }
    return keys.sort();
  }

  /** Closes the client's connections. */
  close(): void {
    void this.#connection?.then((connection) => connection.client.destroy());
  }

  #sinkError(sdk: S3Sdk, error: unknown, what: string): SinkError {
    if (
      error instanceof sdk.S3ServiceException &&
      /^[A-Za-z0-9.]+$/.test(error.name) &&
      !unnamedErrors.has(error.name)
    ) {
      const code = `S3.${error.name}`;
      return new SinkError(code, `${what} at ${this.#description}: ${code}: ${error.message}`, {
        cause: error,
      });
    }
    return new SinkError(
      'InternalError',
      `${what} at ${this.#description}: InternalError: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}
