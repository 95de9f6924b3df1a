/**
 * Where a delivery stream's S3 destination writes objects. One interface for the embedded bucket
 * directory and for any real S3 endpoint, checked by `test/conformance/object-sink-suite.ts`.
 *
 * Contract: `putObject` resolves only once the object is durable and visible whole under its key
 * (readers never see a partial object); writing a key again replaces the object. A failure
 * rejects with `SinkError`, whose code is the destination error AWS logs (`S3.NoSuchBucket`,
 * `S3.AccessDenied`, `InternalError`); the delivery worker retries it.
 */

export interface ObjectMetadata {
  readonly contentType: string;
  /** `gzip` for GZIP objects; absent when uncompressed. */
  readonly contentEncoding?: string;
}

export interface ObjectSink {
  putObject(bucket: string, key: string, body: Buffer, metadata: ObjectMetadata): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  getObject(bucket: string, key: string): Promise<Buffer | undefined>;
  /** Keys of the bucket's objects that start with `prefix`, in lexical order. */
  listObjects(bucket: string, prefix?: string): Promise<string[]>;
}

export class SinkError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SinkError';
    this.code = code;
  }
}
