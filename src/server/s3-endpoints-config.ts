/**
 * The server's S3 settings as the bucket router's options: `s3Endpoint` (with `s3Region`,
 * `s3AccessKeyId`, `s3SecretAccessKey`, `s3ForcePathStyle`) is the default endpoint of every
 * bucket; `s3Endpoints` maps bucket names to their own endpoint, whose missing members are those
 * of the default settings, or to `"embedded"`. Nothing configured: every bucket is embedded.
 * A malformed map stops the server with a ConfigError naming the bucket and member.
 */
import type { BucketRouterOptions, BucketTarget } from '../firehose/sinks/bucket-router.js';
import type { S3EndpointOptions } from '../firehose/sinks/s3-endpoint-sink.js';
import type { ObjectSink } from '../firehose/sinks/object-sink.js';
import { ConfigError, type ServerConfig } from './config.js';

const entryMembers = [
  'endpoint',
  'region',
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'forcePathStyle',
];

export function bucketRouterOptions(config: ServerConfig, embedded: ObjectSink): BucketRouterOptions {
  if ((config.s3AccessKeyId === undefined) !== (config.s3SecretAccessKey === undefined)) {
    throw new ConfigError('s3-access-key-id and s3-secret-access-key must be given together');
  }
  const base: S3EndpointOptions = {
    region: config.s3Region ?? config.defaultRegion,
    forcePathStyle: config.s3ForcePathStyle === 'true',
    ...(config.s3AccessKeyId === undefined ? {} : { accessKeyId: config.s3AccessKeyId }),
    ...(config.s3SecretAccessKey === undefined ? {} : { secretAccessKey: config.s3SecretAccessKey }),
  };
  checkEndpointUrl(config.s3Endpoint, 's3-endpoint');
  const buckets = parseBuckets(config.s3Endpoints, base);
  return {
    embedded,
    ...(config.s3Endpoint === undefined ? {} : { defaultEndpoint: { ...base, endpoint: config.s3Endpoint } }),
    buckets,
  };
}

function parseBuckets(value: unknown, base: S3EndpointOptions): Record<string, BucketTarget> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('s3Endpoints must be a JSON object of bucket names');
  }
  const buckets: Record<string, BucketTarget> = {};
  for (const [bucket, entry] of Object.entries(value as Record<string, unknown>)) {
    const where = `s3Endpoints.${bucket}`;
    if (entry === 'embedded') {
      buckets[bucket] = 'embedded';
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigError(`${where} must be "embedded" or an object with an endpoint`);
    }
    const fields = entry as Record<string, unknown>;
    for (const member of Object.keys(fields)) {
      if (!entryMembers.includes(member)) {
        throw new ConfigError(`${where}: unknown member "${member}" (expected ${entryMembers.join(', ')})`);
      }
    }
    for (const member of entryMembers.filter((name) => name !== 'forcePathStyle')) {
      if (fields[member] !== undefined && (typeof fields[member] !== 'string' || fields[member] === '')) {
        throw new ConfigError(`${where}.${member} must be a non-empty string`);
      }
    }
    if (fields.forcePathStyle !== undefined && typeof fields.forcePathStyle !== 'boolean') {
      throw new ConfigError(`${where}.forcePathStyle must be true or false`);
    }
    if ((fields.accessKeyId === undefined) !== (fields.secretAccessKey === undefined)) {
      throw new ConfigError(`${where}: accessKeyId and secretAccessKey must be given together`);
    }
    checkEndpointUrl(fields.endpoint as string | undefined, `${where}.endpoint`);
    const own = fields.accessKeyId !== undefined;
    buckets[bucket] = {
      region: (fields.region as string | undefined) ?? base.region,
      forcePathStyle: (fields.forcePathStyle as boolean | undefined) ?? base.forcePathStyle,
      ...(fields.endpoint === undefined ? {} : { endpoint: fields.endpoint as string }),
      ...(own
        ? {
            accessKeyId: fields.accessKeyId as string,
            secretAccessKey: fields.secretAccessKey as string,
            ...(fields.sessionToken === undefined ? {} : { sessionToken: fields.sessionToken as string }),
          }
        : {
            ...(base.accessKeyId === undefined ? {} : { accessKeyId: base.accessKeyId }),
            ...(base.secretAccessKey === undefined ? {} : { secretAccessKey: base.secretAccessKey }),
          }),
    };
  }
  return buckets;
}

function checkEndpointUrl(url: string | undefined, where: string): void {
  if (url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${where}: "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${where}: "${url}" must be an http:// or https:// URL`);
  }
}
