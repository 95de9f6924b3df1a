/**
 * Which ObjectSink serves a bucket: a bucket named in the per-bucket map goes to its own S3
 * endpoint (or explicitly to the embedded directory); any other bucket goes to the default S3
 * endpoint when one is configured, else to the embedded bucket directory
 * (`<data-dir>/buckets/<bucket>`), so `arn:aws:s3:::name` works out of the box.
 *
 * The router is itself an ObjectSink (the delivery worker writes through it) and hands out the
 * sink of one bucket (`objectSinkFor`) to readers such as analytics reference data. S3 clients
 * are made on first use, one per distinct endpoint configuration, and closed by `close`.
 */
import type { ObjectMetadata, ObjectSink } from './object-sink.js';
import { S3EndpointSink, type S3EndpointOptions } from './s3-endpoint-sink.js';

/** A bucket's destination: an S3 endpoint, or the embedded directory. */
export type BucketTarget = S3EndpointOptions | 'embedded';

export interface BucketRouterOptions {
  readonly embedded: ObjectSink;
  /** Buckets not in `buckets` go here; to the embedded directory when absent. */
  readonly defaultEndpoint?: S3EndpointOptions;
  readonly buckets?: Readonly<Record<string, BucketTarget>>;
}

export class BucketRouter implements ObjectSink {
  readonly #embedded: ObjectSink;
  readonly #defaultTarget: BucketTarget;
  readonly #buckets: ReadonlyMap<string, BucketTarget>;
  readonly #endpointSinks = new Map<string, S3EndpointSink>();

  constructor(options: BucketRouterOptions) {
    this.#embedded = options.embedded;
    this.#defaultTarget = options.defaultEndpoint ?? 'embedded';
    this.#buckets = new Map(Object.entries(options.buckets ?? {}));
  }

  /** The sink that stores this bucket's objects. */
  objectSinkFor(bucket: string): ObjectSink {
    const target = this.#buckets.get(bucket) ?? this.#defaultTarget;
    if (target === 'embedded') return this.#embedded;
    const key = JSON.stringify(target);
    let sink = this.#endpointSinks.get(key);
    if (sink === undefined) {
      sink = new S3EndpointSink(target);
      this.#endpointSinks.set(key, sink);
    }
    return sink;
  }

  /** Where a bucket's objects go, for logs and docs: `embedded` or the endpoint URL. */
  describe(bucket: string): string {
    const target = this.#buckets.get(bucket) ?? this.#defaultTarget;
    return target === 'embedded' ? 'embedded' : (target.endpoint ?? `s3.${target.region}.amazonaws.com`);
  }

  putObject(bucket: string, key: string, body: Buffer, metadata: ObjectMetadata): Promise<void> {
    return this.objectSinkFor(bucket).putObject(bucket, key, body, metadata);
  }

  getObject(bucket: string, key: string): Promise<Buffer | undefined> {
    return this.objectSinkFor(bucket).getObject(bucket, key);
  }

  listObjects(bucket: string, prefix?: string): Promise<string[]> {
    return this.objectSinkFor(bucket).listObjects(bucket, prefix);
  }

  close(): void {
    for (const sink of this.#endpointSinks.values()) sink.close();
    this.#endpointSinks.clear();
  }
}
