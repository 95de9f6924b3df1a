/**
 * Reference data objects from the embedded bucket directory, `<data-dir>/buckets/<bucket>/<key>`
 * (where Firehose's embedded S3 destination writes): the analytics runner's `ReferenceObjects`
 * until an S3 endpoint can be configured. A key cannot leave its bucket's directory.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ReferenceObjectMissing, type ReferenceObjects } from '../analytics/runner/reference-data.js';

const bucketArnPattern = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;

export function embeddedReferenceObjects(bucketsDirectory: string): ReferenceObjects {
  return {
    async read(bucketArn, fileKey) {
      const bucket = bucketArnPattern.exec(bucketArn)?.[1];
      if (bucket === undefined) throw new ReferenceObjectMissing(`${bucketArn} is not a bucket ARN.`);
      const bucketDirectory = path.resolve(bucketsDirectory, bucket);
      const file = path.resolve(bucketDirectory, fileKey);
      if (!file.startsWith(bucketDirectory + path.sep)) {
        throw new ReferenceObjectMissing(`${fileKey} is not a key in bucket ${bucket}.`);
      }
      try {
        return await readFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
          throw new ReferenceObjectMissing(`Object ${fileKey} does not exist in bucket ${bucket}.`, {
            cause: error,
          });
        }
        throw error;
      }
    },
  };
}
