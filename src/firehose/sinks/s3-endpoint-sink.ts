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
 */
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
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

export class S3EndpointSink implements ObjectSink {
  readonly #client: S3Client;
  readonly #description: string;

  constructor(options: S3EndpointOptions) {
    const credentials =
      options.accessKeyId !== undefined && options.secretAccessKey !== undefined
        ? {
            accessKeyId: options.accessKeyId,
            secretAccessKey: options.secretAccessKey,
            ...(options.sessionToken === undefined ? {} : { sessionToken: options.sessionToken }),
          }
        : undefined;
    this.#client = new S3Client({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(credentials === undefined ? {} : { credentials }),
      forcePathStyle: options.forcePathStyle,
      maxAttempts: attemptsPerCall,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { requestTimeout: requestTimeoutMs },
    });
    this.#description = options.endpoint ?? `S3 in ${options.region}`;
  }

  async putObject(bucket: string, key: string, body: Buffer, metadata: ObjectMetadata): Promise<void> {
    try {
      await this.#client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: metadata.contentType,
          ...(metadata.contentEncoding === undefined ? {} : { ContentEncoding: metadata.contentEncoding }),
        }),
      );
    } catch (error) {
      throw this.#sinkError(error, `cannot write object ${key} to bucket ${bucket}`);
    }
  }

  async getObject(bucket: string, key: string): Promise<Buffer | undefined> {
    try {
      const answer = await this.#client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (answer.Body === undefined) return Buffer.alloc(0);
      return Buffer.from(await answer.Body.transformToByteArray());
    } catch (error) {
      // A missing bucket reads as no object, as the embedded directory does.
      if (
        error instanceof S3ServiceException &&
        (error.name === 'NoSuchKey' || error.name === 'NoSuchBucket')
      )
        return undefined;
      throw this.#sinkError(error, `cannot read object ${key} of bucket ${bucket}`);
    }
  }

  async listObjects(bucket: string, prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    let continuationToken: string | undefined;
    try {
      do {
        const page = await this.#client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            ...(prefix === '' ? {} : { Prefix: prefix }),
            ...(continuationToken === undefined ? {} : { ContinuationToken: continuationToken }),
          }),
        );
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
        continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (continuationToken !== undefined);
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'NoSuchBucket') return [];
      throw this.#sinkError(error, `cannot list bucket ${bucket}`);
    }
    return keys.sort();
  }

  /** Closes the client's connections. */
  close(): void {
    this.#client.destroy();
  }

  #sinkError(error: unknown, what: string): SinkError {
    if (
      error instanceof S3ServiceException &&
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
