/** Creating, listing and deleting benchmark streams, bounded in time, for any of the targets. */
import { performance } from 'node:perf_hooks';
import { KinesisHttpClient } from './kinesis-http-client.js';

const activeTimeoutMs = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function createActiveStream(endpoint: string, name: string, shardCount: number): Promise<void> {
  const client = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 10_000 });
  try {
    await client.call('CreateStream', { StreamName: name, ShardCount: shardCount });
    const deadline = performance.now() + activeTimeoutMs;
    while (performance.now() < deadline) {
      const summary = await client.call<{ StreamDescription: { StreamStatus: string } }>('DescribeStream', {
        StreamName: name,
        Limit: 1,
      });
      if (summary.StreamDescription.StreamStatus === 'ACTIVE') return;
      await sleep(20);
    }
    throw new Error(`stream ${name} not ACTIVE within ${activeTimeoutMs} ms`);
  } finally {
    client.close();
  }
}

export async function listShardIds(endpoint: string, name: string): Promise<string[]> {
  const client = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 10_000 });
  try {
    const listed = await client.call<{ Shards: { ShardId: string }[] }>('ListShards', { StreamName: name });
    return listed.Shards.map((shard) => shard.ShardId);
  } finally {
    client.close();
  }
}

/** Frees a stream's memory on in-memory peers between figures; a failure here changes no figure. */
export async function deleteStreamQuietly(endpoint: string, name: string): Promise<void> {
  const client = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 10_000 });
  try {
    await client.send('DeleteStream', Buffer.from(JSON.stringify({ StreamName: name })));
  } catch (error) {
    process.stderr.write(
      `  (could not delete ${name}: ${error instanceof Error ? error.message : String(error)})\n`,
    );
  } finally {
    client.close();
  }
}
