/**
 * Stream settings through the JavaScript SDK: retention periods, tags (stream- and ARN-based),
 * enhanced monitoring, DescribeLimits, the maximum record size and resource policies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteResourcePolicyCommand,
  DescribeLimitsCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand,
  GetResourcePolicyCommand,
  IncreaseStreamRetentionPeriodCommand,
  InvalidArgumentException,
  ListTagsForResourceCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutResourcePolicyCommand,
  RemoveTagsFromStreamCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateMaxRecordSizeCommand,
  ValidationException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/settings';

describe('stream settings', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    server = await startServer();
    client = kinesisClient(server.endpoint);
    await client.send(new CreateStreamCommand({ StreamName: 'settings', ShardCount: 2 }));
    await waitForActive(client, 'settings');
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('raises and lowers the retention period within 24 to 8760 hours, with AWS texts', async () => {
    await client.send(
      new IncreaseStreamRetentionPeriodCommand({ StreamName: 'settings', RetentionPeriodHours: 72 }),
    );
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'settings' }));
    assert.equal(summary.StreamDescriptionSummary?.RetentionPeriodHours, 72);
    await assert.rejects(
      client.send(
        new IncreaseStreamRetentionPeriodCommand({ StreamName: 'settings', RetentionPeriodHours: 48 }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException &&
        error.message ===
          'Requested retention period (48 hours) for stream settings can not be shorter than existing retention period (72 hours). Use DecreaseRetentionPeriod API.',
    );
    await assert.rejects(
      client.send(
        new IncreaseStreamRetentionPeriodCommand({ StreamName: 'settings', RetentionPeriodHours: 8761 }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException &&
        error.message ===
          'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.',
    );
    await assert.rejects(
      client.send(
        new DecreaseStreamRetentionPeriodCommand({ StreamName: 'settings', RetentionPeriodHours: 23 }),
      ),
      (error: unknown) =>
        error instanceof InvalidArgumentException &&
        error.message ===
          'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.',
    );
    await client.send(new DecreaseStreamRetentionPeriodCommand({ StreamARN: arn, RetentionPeriodHours: 24 }));
    const back = await client.send(new DescribeStreamCommand({ StreamName: 'settings' }));
    assert.equal(back.StreamDescription?.RetentionPeriodHours, 24);
  });

  it('adds, lists, pages and removes tags by name and by ARN', async () => {
    await client.send(
      new AddTagsToStreamCommand({ StreamName: 'settings', Tags: { team: 'data', env: 'test' } }),
    );
    await client.send(new TagResourceCommand({ ResourceARN: arn, Tags: { owner: 'ana', env: 'prod' } }));
    const all = await client.send(new ListTagsForStreamCommand({ StreamName: 'settings' }));
    assert.deepEqual(all.Tags, [
      { Key: 'env', Value: 'prod' },
      { Key: 'owner', Value: 'ana' },
      { Key: 'team', Value: 'data' },
    ]);
    assert.equal(all.HasMoreTags, false);
    const page = await client.send(
      new ListTagsForStreamCommand({ StreamName: 'settings', ExclusiveStartTagKey: 'env', Limit: 1 }),
    );
    assert.deepEqual(page.Tags, [{ Key: 'owner', Value: 'ana' }]);
    assert.equal(page.HasMoreTags, true);
    await client.send(
      new RemoveTagsFromStreamCommand({ StreamName: 'settings', TagKeys: ['team', 'missing'] }),
    );
    await client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['owner'] }));
    const left = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    assert.deepEqual(left.Tags, [{ Key: 'env', Value: 'prod' }]);

    const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`k${index}`, 'v']));
    await assert.rejects(
      client.send(new AddTagsToStreamCommand({ StreamName: 'settings', Tags: tooMany })),
      (error: unknown) =>
        error instanceof InvalidArgumentException &&
        error.message ===
          'Failed to add tags to stream settings under account 000000000000 because a given stream cannot have more than 50 tags associated with it.',
    );
    await assert.rejects(
      client.send(new AddTagsToStreamCommand({ StreamName: 'settings', Tags: { 'bad*key': 'v' } })),
      (error: unknown) =>
        error instanceof InvalidArgumentException && /invalid characters/.test(error.message),
    );
  });

  it('switches shard-level metrics on and off, with ALL', async () => {
    const on = await client.send(
      new EnableEnhancedMonitoringCommand({ StreamName: 'settings', ShardLevelMetrics: ['IncomingBytes'] }),
    );
    assert.deepEqual(on.CurrentShardLevelMetrics, []);
    assert.deepEqual(on.DesiredShardLevelMetrics, ['IncomingBytes']);
    const all = await client.send(
      new EnableEnhancedMonitoringCommand({ StreamName: 'settings', ShardLevelMetrics: ['ALL'] }),
    );
    assert.equal(all.DesiredShardLevelMetrics?.length, 7);
    const off = await client.send(
      new DisableEnhancedMonitoringCommand({ StreamName: 'settings', ShardLevelMetrics: ['ALL'] }),
    );
    assert.deepEqual(off.DesiredShardLevelMetrics, []);
    const description = await client.send(new DescribeStreamCommand({ StreamName: 'settings' }));
    assert.deepEqual(description.StreamDescription?.EnhancedMonitoring, [{ ShardLevelMetrics: [] }]);
  });

  it('describes the account limits', async () => {
    const limits = await client.send(new DescribeLimitsCommand({}));
    assert.deepEqual(
      [limits.ShardLimit, limits.OpenShardCount, limits.OnDemandStreamCount, limits.OnDemandStreamCountLimit],
      [500, 2, 0, 50],
    );
  });

  it('raises the maximum record size so that larger records are accepted', async () => {
    const twoMiB = Buffer.alloc(2 * 1024 * 1024, 1);
    await assert.rejects(
      client.send(new PutRecordCommand({ StreamName: 'settings', PartitionKey: 'k', Data: twoMiB })),
      (error: unknown) => error instanceof ValidationException,
    );
    await client.send(new UpdateMaxRecordSizeCommand({ StreamARN: arn, MaxRecordSizeInKiB: 4096 }));
    const put = await client.send(
      new PutRecordCommand({ StreamName: 'settings', PartitionKey: 'k', Data: twoMiB }),
    );
    assert.match(put.SequenceNumber ?? '', /^\d{56}$/);
    await assert.rejects(
      client.send(new UpdateMaxRecordSizeCommand({ StreamARN: arn, MaxRecordSizeInKiB: 20_000 })),
      (error: unknown) => error instanceof ValidationException,
    );
  });

  it('stores, returns and deletes a resource policy, and rejects one that is not JSON', async () => {
    assert.equal((await client.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kinesis:*' }],
    });
    await client.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: policy }));
    assert.equal((await client.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, policy);
    await assert.rejects(
      client.send(new PutResourcePolicyCommand({ ResourceARN: arn, Policy: 'not json' })),
      (error: unknown) => error instanceof InvalidArgumentException,
    );
    await client.send(new DeleteResourcePolicyCommand({ ResourceARN: arn }));
    assert.equal((await client.send(new GetResourcePolicyCommand({ ResourceARN: arn }))).Policy, '{}');
    await assert.rejects(
      client.send(new GetResourcePolicyCommand({ ResourceARN: `${arn}/consumer/c:1700000000` })),
      (error: unknown) => error instanceof ResourceNotFoundException,
    );
  });
});
