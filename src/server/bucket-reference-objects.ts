/**
 * Analytics reference data objects, read through the server's bucket router: the embedded bucket
 * directory `<data-dir>/buckets/<bucket>/<key>` (where Firehose's embedded S3 destination writes)
 * or the S3 endpoint configured for the bucket (`--s3-endpoint`, `s3Endpoints`), the same mapping
 * Firehose delivers through. A missing bucket or key is `ReferenceObjectMissing` (the application
 * keeps running and retries, as AWS documents); other failures propagate.
 */
import { ReferenceObjectMissing, type ReferenceObjects } from '../analytics/runner/reference-data.js';
import { SinkError, type ObjectSink } from '../firehose/sinks/object-sink.js';

const bucketArnPattern = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;

const missingCodes = new Set(['S3.NoSuchBucket', 'S3.NoSuchKey', 'S3.InvalidObjectKey']);

export function bucketReferenceObjects(sinkFor: (bucket: string) => ObjectSink): ReferenceObjects {
  return {
    async read(bucketArn, fileKey) {
      const bucket = bucketArnPattern.exec(bucketArn)?.[1];
      if (bucket === undefined) throw new ReferenceObjectMissing(`${bucketArn} is not a bucket ARN.`);
      let body: Buffer | undefined;
      try {
        body = await sinkFor(bucket).getObject(bucket, fileKey);
      } catch (error) {
        if (error instanceof SinkError && missingCodes.has(error.code)) {
          throw new ReferenceObjectMissing(`${error.message}`, { cause: error });
        }
        throw error;
      }
      if (body === undefined) {
        throw new ReferenceObjectMissing(`Object ${fileKey} does not exist in bucket ${bucket}.`);
      }
      return body;
    },
  };
}
