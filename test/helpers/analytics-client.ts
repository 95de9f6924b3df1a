/**
 * The official JavaScript SDK v3 Kinesis Analytics client pointed at a test server, with fixed
 * test credentials and no retries (errors must surface at once), and a status waiter.
 */
import {
  DescribeApplicationCommand,
  KinesisAnalyticsClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis-analytics';
import { testCredentials } from './kinesis-client.js';

export function analyticsClient(endpoint: string): KinesisAnalyticsClient {
  return new KinesisAnalyticsClient({
    endpoint,
    region: 'us-east-1',
    credentials: testCredentials,
    maxAttempts: 1,
  });
}

/** Polls DescribeApplication until the status is `status` ('GONE': until it no longer exists). */
export async function waitForApplicationStatus(
  client: KinesisAnalyticsClient,
  name: string,
  status: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const described = await client.send(new DescribeApplicationCommand({ ApplicationName: name }));
      if (described.ApplicationDetail?.ApplicationStatus === status) return;
    } catch (error) {
      if (status === 'GONE' && error instanceof ResourceNotFoundException) return;
      throw error;
    }
    if (Date.now() > deadline) throw new Error(`application ${name} not ${status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
