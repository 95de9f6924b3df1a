/**
 * Account settings and warm throughput through the JavaScript SDK: the minimum throughput
 * billing commitment (DescribeAccountSettings, UpdateAccountSettings, its 24-hour rule), and
 * on-demand streams scaled to a warm throughput at creation and with UpdateStreamWarmThroughput.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateStreamCommand,
  DescribeAccountSettingsCommand,
  DescribeStreamSummaryCommand,
  InvalidArgumentException,
  LimitExceededException,
  ListShardsCommand,
  UpdateAccountSettingsCommand,
  UpdateStreamModeCommand,
  UpdateStreamWarmThroughputCommand,
  ValidationException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { kinesisClient, waitForActive } from '../helpers/kinesis-client.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const dayMs = 24 * 3_600_000;

async function openShardCount(client: KinesisClient, streamName: string): Promise<number> {
  const { Shards = [] } = await client.send(
    new ListShardsCommand({ StreamName: streamName, ShardFilter: { Type: 'AT_LATEST' } }),
  );
  return Shards.length;
}

describe('account settings and warm throughput', () => {
  let server: ServerProcess;
  let client: KinesisClient;

  before(async () => {
    // Transitions last long enough to observe UPDATING even on a loaded machine.
    server = await startServer({ extraArgs: ['--transition-delay-ms', '1000'] });
    client = kinesisClient(server.endpoint);
  });

  after(async () => {
    client?.destroy();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('refuses warm throughput until the account has the billing commitment', async () => {
    const settings = await client.send(new DescribeAccountSettingsCommand({}));
    assert.deepEqual(settings.MinimumThroughputBillingCommitment, { Status: 'DISABLED' });
    await client.send(
      new CreateStreamCommand({ StreamName: 'cold', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
    );
    await waitForActive(client, 'cold');
    await assert.rejects(
      client.send(new UpdateStreamWarmThroughputCommand({ StreamName: 'cold', WarmThroughputMiBps: 8 })),
      (error: unknown) =>
        error instanceof ValidationException && /MinimumThroughputBillingCommitment/.test(error.message),
    );
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'cold' }));
    assert.equal(summary.StreamDescriptionSummary?.WarmThroughput, undefined);
  });

  it('enables the commitment for at least 24 hours', async () => {
    const enabled = await client.send(
      new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }),
    );
    const commitment = enabled.MinimumThroughputBillingCommitment;
    assert.equal(commitment?.Status, 'ENABLED');
    assert.ok(commitment?.StartedAt instanceof Date);
    assert.equal(commitment.EarliestAllowedEndAt?.getTime(), commitment.StartedAt.getTime() + dayMs);

    const disabling = await client.send(
      new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'DISABLED' } }),
    );
    assert.equal(disabling.MinimumThroughputBillingCommitment?.Status, 'ENABLED_UNTIL_EARLIEST_ALLOWED_END');
    const again = await client.send(
      new UpdateAccountSettingsCommand({ MinimumThroughputBillingCommitment: { Status: 'ENABLED' } }),
    );
    assert.equal(again.MinimumThroughputBillingCommitment?.Status, 'ENABLED');
    assert.equal(
      again.MinimumThroughputBillingCommitment?.StartedAt?.getTime(),
      commitment.StartedAt.getTime(),
    );
    const described = await client.send(new DescribeAccountSettingsCommand({}));
    assert.equal(described.MinimumThroughputBillingCommitment?.Status, 'ENABLED');
  });

  it('creates an on-demand stream with warm throughput and rescales it', async () => {
    await client.send(
      new CreateStreamCommand({
        StreamName: 'warm',
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        WarmThroughputMiBps: 6,
      }),
    );
    await waitForActive(client, 'warm');
    assert.equal(await openShardCount(client, 'warm'), 6);
    const created = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'warm' }));
    assert.deepEqual(created.StreamDescriptionSummary?.WarmThroughput, { TargetMiBps: 6, CurrentMiBps: 6 });

    const updated = await client.send(
      new UpdateStreamWarmThroughputCommand({ StreamName: 'warm', WarmThroughputMiBps: 9 }),
    );
    assert.equal(updated.StreamName, 'warm');
    assert.equal(updated.StreamARN, 'arn:aws:kinesis:us-east-1:000000000000:stream/warm');
    assert.deepEqual(updated.WarmThroughput, { TargetMiBps: 9, CurrentMiBps: 6 });
    const updating = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'warm' }));
    assert.equal(updating.StreamDescriptionSummary?.StreamStatus, 'UPDATING');
    await waitForActive(client, 'warm');
    assert.equal(await openShardCount(client, 'warm'), 9);
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'warm' }));
    assert.deepEqual(summary.StreamDescriptionSummary?.WarmThroughput, { TargetMiBps: 9, CurrentMiBps: 9 });

    // A lower value releases capacity, down to the on-demand minimum of four shards.
    await client.send(new UpdateStreamWarmThroughputCommand({ StreamName: 'warm', WarmThroughputMiBps: 1 }));
    await waitForActive(client, 'warm');
    assert.equal(await openShardCount(client, 'warm'), 4);
  });

  it('answers AWS errors for provisioned streams, too much throughput and unknown streams', async () => {
    await client.send(new CreateStreamCommand({ StreamName: 'fixed', ShardCount: 1 }));
    await waitForActive(client, 'fixed');
    await assert.rejects(
      client.send(new UpdateStreamWarmThroughputCommand({ StreamName: 'fixed', WarmThroughputMiBps: 4 })),
      (error: unknown) => error instanceof InvalidArgumentException && /ON_DEMAND/.test(error.message),
    );
    await assert.rejects(
      client.send(new UpdateStreamWarmThroughputCommand({ StreamName: 'warm', WarmThroughputMiBps: 10241 })),
      (error: unknown) => error instanceof LimitExceededException,
    );
    await assert.rejects(
      client.send(new UpdateStreamWarmThroughputCommand({ StreamName: 'nowhere', WarmThroughputMiBps: 4 })),
      (error: unknown) => (error as Error).name === 'ResourceNotFoundException',
    );
    await assert.rejects(
      client.send(
        new CreateStreamCommand({
          StreamName: 'p',
          StreamModeDetails: { StreamMode: 'PROVISIONED' },
          WarmThroughputMiBps: 4,
        }),
      ),
      (error: unknown) => error instanceof ValidationException,
    );
    // Switching to provisioned drops the warm throughput.
    await client.send(
      new UpdateStreamModeCommand({
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/warm',
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
      }),
    );
    await waitForActive(client, 'warm');
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'warm' }));
    assert.equal(summary.StreamDescriptionSummary?.WarmThroughput, undefined);
  });
});
