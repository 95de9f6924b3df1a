/**
 * The embedded S3 destination: objects are files under `<root>/<bucket>/<key>` (the server's
 * root is `<data-dir>/buckets`), so the bucket of `arn:aws:s3:::name` works with no S3 endpoint.
 *
 * An object is written to a temporary file under `<root>/.incoming/`, fsynced, then renamed onto
 * its key and the directory fsynced: a crash leaves the old object or the whole new one, never a
 * partial file under a key. Buckets are created on first write. Keys whose segments would leave
 * the bucket directory (`.`, `..`, empty segments) are refused, as no file can stand for them.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { isNotFound, writeFully, type FileSystem } from '../../log/file-system.js';
import { SinkError, type ObjectMetadata, type ObjectSink } from './object-sink.js';

const incomingDirectory = '.incoming';
const bucketNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,254}$/;

export class EmbeddedBucketSink implements ObjectSink {
  readonly #root: string;
  readonly #fileSystem: FileSystem;

  constructor(options: { readonly root: string; readonly fileSystem: FileSystem }) {
    this.#root = options.root;
    this.#fileSystem = options.fileSystem;
  }

  async putObject(bucket: string, key: string, body: Buffer, _metadata: ObjectMetadata): Promise<void> {
    const target = this.#objectPath(bucket, key);
    const incoming = path.join(this.#root, incomingDirectory);
    const temporaryPath = path.join(incoming, randomUUID());
    try {
      await this.#fileSystem.mkdirs(incoming);
      await this.#fileSystem.mkdirs(path.dirname(target));
      const handle = await this.#fileSystem.open(temporaryPath, 'createNew');
      try {
        await writeFully(handle, body, 0);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.#fileSystem.rename(temporaryPath, target);
      await this.#fileSystem.syncDirectory(path.dirname(target));
    } catch (error) {
      await this.#fileSystem.unlink(temporaryPath).catch((unlinkError: unknown) => {
        if (!isNotFound(unlinkError))
          throw new SinkError('InternalError', 'cannot remove a temporary object file', {
            cause: unlinkError,
          });
      });
      throw new SinkError('InternalError', `cannot write object ${key} to bucket ${bucket}`, {
        cause: error,
      });
    }
  }

  async getObject(bucket: string, key: string): Promise<Buffer | undefined> {
    try {
      return await this.#fileSystem.readFile(this.#objectPath(bucket, key));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async listObjects(bucket: string, prefix = ''): Promise<string[]> {
    const bucketPath = this.#bucketPath(bucket);
    const keys: string[] = [];
    const walk = async (directory: string, keyPrefix: string): Promise<void> => {
      let names: string[];
      try {
        names = await this.#fileSystem.readdir(directory);
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      for (const name of names) {
        const full = path.join(directory, name);
        const stat = await this.#fileSystem.stat(full);
        if (stat.isDirectory) await walk(full, `${keyPrefix}${name}/`);
        else keys.push(`${keyPrefix}${name}`);
      }
    };
    await walk(bucketPath, '');
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  #bucketPath(bucket: string): string {
    if (!bucketNamePattern.test(bucket) || bucket === incomingDirectory) {
      throw new SinkError('S3.NoSuchBucket', `The specified bucket ${bucket} is not a valid bucket name.`);
    }
    return path.join(this.#root, bucket);
  }

  #objectPath(bucket: string, key: string): string {
    const segments = key.split('/');
    if (key === '' || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
      throw new SinkError(
        'S3.InvalidObjectKey',
        `The object key ${key} cannot be stored in the embedded bucket directory.`,
      );
    }
    return path.join(this.#bucketPath(bucket), ...segments);
  }
}
