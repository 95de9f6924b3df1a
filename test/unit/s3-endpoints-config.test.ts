/**
 * The S3 settings as bucket-router options: defaults from the --s3-* settings, per-bucket entries
 * inheriting what they omit, "embedded", and a ConfigError naming the bucket and member for a
 * malformed map.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmbeddedBucketSink } from '../../src/firehose/sinks/embedded-bucket-sink.js';
import { nodeFileSystem } from '../../src/log/file-system.js';
import { ConfigError, defaultConfig, type ServerConfig } from '../../src/server/config.js';
import { bucketRouterOptions } from '../../src/server/s3-endpoints-config.js';

const embedded = new EmbeddedBucketSink({ root: '/nonexistent', fileSystem: nodeFileSystem });
const optionsOf = (config: Partial<ServerConfig>) =>
  bucketRouterOptions({ ...defaultConfig, ...config }, embedded);

function configError(config: Partial<ServerConfig>): string {
  try {
    optionsOf(config);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

test('nothing configured: every bucket is embedded', () => {
  const options = optionsOf({});
  assert.equal(options.defaultEndpoint, undefined);
  assert.deepEqual(options.buckets, {});
});

test('the default endpoint and per-bucket entries inherit the --s3-* settings', () => {
  const options = optionsOf({
    s3Endpoint: 'http://127.0.0.1:9000',
    s3AccessKeyId: 'key',
    s3SecretAccessKey: 'secret',
    s3ForcePathStyle: 'true',
    s3Endpoints: {
      own: {
        endpoint: 'https://s3.example.com',
        region: 'eu-west-1',
        accessKeyId: 'k2',
        secretAccessKey: 's2',
      },
      inherits: { endpoint: 'http://other:9000' },
      local: 'embedded',
    },
  });
  assert.deepEqual(options.defaultEndpoint, {
    endpoint: 'http://127.0.0.1:9000',
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: 'key',
    secretAccessKey: 'secret',
  });
  assert.deepEqual(options.buckets, {
    own: {
      endpoint: 'https://s3.example.com',
      region: 'eu-west-1',
      forcePathStyle: true,
      accessKeyId: 'k2',
      secretAccessKey: 's2',
    },
    inherits: {
      endpoint: 'http://other:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: 'key',
      secretAccessKey: 'secret',
    },
    local: 'embedded',
  });
});

test('malformed settings stop the server with the bucket and member named', () => {
  assert.equal(
    configError({ s3AccessKeyId: 'key' }),
    's3-access-key-id and s3-secret-access-key must be given together',
  );
  assert.equal(
    configError({ s3Endpoint: 'ftp://x' }),
    's3-endpoint: "ftp://x" must be an http:// or https:// URL',
  );
  assert.equal(configError({ s3Endpoints: [] }), 's3Endpoints must be a JSON object of bucket names');
  assert.equal(
    configError({ s3Endpoints: { b: 5 } }),
    's3Endpoints.b must be "embedded" or an object with an endpoint',
  );
  assert.equal(
    configError({ s3Endpoints: { b: { endpoint: 'http://x', pathStyle: true } } }),
    's3Endpoints.b: unknown member "pathStyle" (expected endpoint, region, accessKeyId, secretAccessKey, sessionToken, forcePathStyle)',
  );
  assert.equal(
    configError({ s3Endpoints: { b: { region: '' } } }),
    's3Endpoints.b.region must be a non-empty string',
  );
  assert.equal(
    configError({ s3Endpoints: { b: { forcePathStyle: 'yes' } } }),
    's3Endpoints.b.forcePathStyle must be true or false',
  );
  assert.equal(
    configError({ s3Endpoints: { b: { accessKeyId: 'k' } } }),
    's3Endpoints.b: accessKeyId and secretAccessKey must be given together',
  );
  assert.equal(
    configError({ s3Endpoints: { b: { endpoint: 'not a url' } } }),
    's3Endpoints.b.endpoint: "not a url" is not a URL',
  );
});
