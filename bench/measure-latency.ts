/**
 * Put-to-get latency: a probe writer sends one PutRecord every `intervalMs` to a one-shard stream
 * while a reader polls GetRecords on it in a tight loop. Latency runs from the PutRecord answer
 * reaching the writer to the record reaching the reader; a record seen before its answer counts as
 * 0 ms. Background load, if any, is the caller's business.
 */
import { performance } from 'node:perf_hooks';
import { KinesisHttpClient } from './kinesis-http-client.js';

export interface LatencyResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly samples: number;
}

interface GetRecordsOutput {
  Records: { Data: string }[];
  NextShardIterator?: string;
}

const missingRecordsTimeoutMs = 10_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export async function measurePutToGetLatency(
  endpoint: string,
  streamName: string,
  samples: number,
  intervalMs: number,
): Promise<LatencyResult> {
  const writer = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 10_000 });
  const reader = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 10_000 });
  try {
    const shards = await reader.call<{ Shards: { ShardId: string }[] }>('ListShards', {
      StreamName: streamName,
    });
    let iterator: string | undefined = (
      await reader.call<{ ShardIterator: string }>('GetShardIterator', {
        StreamName: streamName,
        ShardId: shards.Shards[0]?.ShardId,
        ShardIteratorType: 'LATEST',
      })
    ).ShardIterator;
    const ackedAt = new Map<number, number>();
    const seenAt = new Map<number, number>();
    let writing = true;

    const readLoop = async (): Promise<void> => {
      let writerDoneAt = Number.POSITIVE_INFINITY;
      while (iterator !== undefined) {
        if (!writing) writerDoneAt = Math.min(writerDoneAt, performance.now());
        if (!writing && seenAt.size >= ackedAt.size) return;
        if (performance.now() - writerDoneAt > missingRecordsTimeoutMs) {
          throw new Error(`latency reader missed ${ackedAt.size - seenAt.size} records`);
        }
        const output: GetRecordsOutput = await reader.call<GetRecordsOutput>('GetRecords', {
          ShardIterator: iterator,
          Limit: 1000,
        });
        const now = performance.now();
        for (const record of output.Records) {
          seenAt.set(Number(Buffer.from(record.Data, 'base64').toString('utf8')), now);
        }
        iterator = output.NextShardIterator;
      }
    };
    const writeLoop = async (): Promise<void> => {
      try {
        for (let id = 0; id < samples; id++) {
          const started = performance.now();
          await writer.call('PutRecord', {
            StreamName: streamName,
            PartitionKey: 'latency',
            Data: Buffer.from(String(id)).toString('base64'),
          });
          ackedAt.set(id, performance.now());
          await sleep(Math.max(0, intervalMs - (performance.now() - started)));
        }
      } finally {
        writing = false;
      }
    };
    await Promise.all([readLoop(), writeLoop()]);

    const latencies: number[] = [];
    for (const [id, acked] of ackedAt) {
      const seen = seenAt.get(id);
      if (seen === undefined) throw new Error(`latency record ${id} was never read`);
      latencies.push(Math.max(0, seen - acked));
    }
    latencies.sort((a, b) => a - b);
    return {
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies[latencies.length - 1] ?? Number.NaN,
      samples: latencies.length,
    };
  } finally {
    writer.close();
    reader.close();
  }
}
