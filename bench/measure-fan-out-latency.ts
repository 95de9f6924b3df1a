/**
 * Fan-out push latency: a consumer subscribed with the JavaScript SDK v3 (SubscribeToShard over
 * HTTP/2, as real EFO readers use it) to a one-shard stream, and a probe writer sending one
 * PutRecord every `intervalMs` over a keep-alive HTTP/1.1 connection, at light load. Latency runs
 * from the PutRecord answer reaching the writer to the event carrying the record reaching the
 * consumer; a record pushed before its answer arrived counts as 0 ms. Tributary only: neither peer
 * is measured here (kinesalite has no SubscribeToShard).
 */
import { performance } from 'node:perf_hooks';
import {
  KinesisClient,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  DescribeStreamConsumerCommand,
} from '@aws-sdk/client-kinesis';
import { KinesisHttpClient } from './kinesis-http-client.js';
import type { LatencyResult } from './measure-latency.js';
import { readProcessCpuSeconds } from './process-usage.js';
import { createActiveStream } from './stream-admin.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const activeTimeoutMs = 30_000;
const missingRecordsTimeoutMs = 10_000;

function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export interface FanOutLatencyResult extends LatencyResult {
  /** Server CPU over the probe, in cores. */
  readonly serverCores: number;
}

export async function measureFanOutLatency(
  endpoint: string,
  serverPid: number,
  samples: number,
  intervalMs: number,
): Promise<FanOutLatencyResult> {
  const streamName = 'bench-fan-out';
  const writer = new KinesisHttpClient(endpoint, { connections: 1, timeoutMs: 10_000 });
  const consumerClient = new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  try {
    await createActiveStream(endpoint, streamName, 1);
    const summary = await writer.call<{ StreamDescriptionSummary: { StreamARN: string } }>(
      'DescribeStreamSummary',
      { StreamName: streamName },
    );
    const registered = await consumerClient.send(
      new RegisterStreamConsumerCommand({
        StreamARN: summary.StreamDescriptionSummary.StreamARN,
        ConsumerName: 'bench-consumer',
      }),
    );
    const consumerArn = registered.Consumer?.ConsumerARN as string;
    const deadline = performance.now() + activeTimeoutMs;
    for (;;) {
      const described = await consumerClient.send(
        new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }),
      );
      if (described.ConsumerDescription?.ConsumerStatus === 'ACTIVE') break;
      if (performance.now() > deadline) throw new Error('the benchmark consumer did not become ACTIVE');
      await sleep(20);
    }
    const subscription = await consumerClient.send(
      new SubscribeToShardCommand({
        ConsumerARN: consumerArn,
        ShardId: 'shardId-000000000000',
        StartingPosition: { Type: 'LATEST' },
      }),
    );

    const ackedAt = new Map<number, number>();
    const seenAt = new Map<number, number>();
    let writing = true;
    const readLoop = async (): Promise<void> => {
      let writerDoneAt = Number.POSITIVE_INFINITY;
      const watchdog = setInterval(() => {
        if (!writing) writerDoneAt = Math.min(writerDoneAt, performance.now());
      }, 100);
      try {
        for await (const event of subscription.EventStream ?? []) {
          const now = performance.now();
          for (const record of event.SubscribeToShardEvent?.Records ?? []) {
            seenAt.set(Number(Buffer.from(record.Data ?? []).toString('utf8')), now);
          }
          if (!writing && seenAt.size >= ackedAt.size) return;
          if (now - writerDoneAt > missingRecordsTimeoutMs) {
            throw new Error(`fan-out consumer missed ${ackedAt.size - seenAt.size} records`);
          }
        }
        throw new Error('the subscription ended before every record arrived');
      } finally {
        clearInterval(watchdog);
      }
    };
    const cpuBefore = await readProcessCpuSeconds(serverPid);
    const startedMs = performance.now();
    const writeLoop = async (): Promise<void> => {
      try {
        for (let id = 0; id < samples; id++) {
          const started = performance.now();
          await writer.call('PutRecord', {
            StreamName: streamName,
            PartitionKey: 'fan-out',
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
    const serverCores = (await readProcessCpuSeconds(serverPid)) - cpuBefore;
    const elapsedSeconds = (performance.now() - startedMs) / 1000;

    const latencies: number[] = [];
    for (const [id, acked] of ackedAt) {
      const seen = seenAt.get(id);
      if (seen === undefined) throw new Error(`fan-out record ${id} was never pushed`);
      latencies.push(Math.max(0, seen - acked));
    }
    latencies.sort((a, b) => a - b);
    return {
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies[latencies.length - 1] ?? Number.NaN,
      samples: latencies.length,
      serverCores: serverCores / elapsedSeconds,
    };
  } finally {
    consumerClient.destroy();
    // A stream with consumers is deleted only with EnforceConsumerDeletion.
    await writer
      .send(
        'DeleteStream',
        Buffer.from(JSON.stringify({ StreamName: streamName, EnforceConsumerDeletion: true })),
      )
      .catch((error: unknown) =>
        process.stderr.write(`  (could not delete ${streamName}: ${String(error)})\n`),
      );
    writer.close();
  }
}
