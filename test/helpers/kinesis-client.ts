/**
 * The official JavaScript SDK v3 Kinesis client pointed at a test server: HTTP/2 (its default
 * handler, h2c with prior knowledge) or HTTP/1.1 (NodeHttpHandler), fixed test credentials.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export function kinesisClient(
  endpoint: string,
  transport: 'http2' | 'http1' = 'http2',
  options: { region?: string; accessKeyId?: string; maxAttempts?: number } = {},
): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: options.region ?? 'us-east-1',
    credentials: { ...testCredentials, accessKeyId: options.accessKeyId ?? testCredentials.accessKeyId },
    maxAttempts: options.maxAttempts ?? 1,
    ...(transport === 'http1' ? { requestHandler: new NodeHttpHandler({ connectionTimeout: 5000 }) } : {}),
  });
}

export async function waitForActive(
  client: KinesisClient,
  streamName: string,
  timeoutMs = 10_000,
): Promise<void> {
  const { DescribeStreamSummaryCommand } = await import('@aws-sdk/client-kinesis');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Polls at 16 a second, under DescribeStreamSummary's 20 (--limits aws), so that waiting does
    // not use up the account's calls and throttle the caller's next one; a throttled poll (other
    // callers) is just another poll.
    const summary = await client
      .send(new DescribeStreamSummaryCommand({ StreamName: streamName }))
      .catch((error: unknown) => {
        if ((error as Error).name === 'LimitExceededException') return undefined;
        throw error;
      });
    if (summary?.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream ${streamName} not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}
