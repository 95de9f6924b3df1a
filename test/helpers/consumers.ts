/**
 * Enhanced fan-out helpers for the validation suite: a stream with an ACTIVE consumer, through
 * raw JSON calls on a `TestServer`.
 */
import { defaultAccount, defaultRegion, sleep, type TestServer } from './validation.js';

export const consumerArnPattern =
  '^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+';

export const streamArnOf = (name: string): string =>
  `arn:aws:kinesis:${defaultRegion}:${defaultAccount}:stream/${name}`;

/** Registers a consumer and waits until it is ACTIVE; answers its ARN. */
export async function registerActiveConsumer(
  server: TestServer,
  streamName: string,
  consumerName: string,
): Promise<string> {
  const registered = await server.call('RegisterStreamConsumer', {
    StreamARN: streamArnOf(streamName),
    ConsumerName: consumerName,
  });
  const arn = (registered.body as { Consumer?: { ConsumerARN?: string } }).Consumer?.ConsumerARN;
  if (registered.status !== 200 || arn === undefined) {
    throw new Error(`RegisterStreamConsumer: ${JSON.stringify(registered)}`);
  }
  await waitForConsumer(server, arn, 'ACTIVE');
  return arn;
}

/** Waits until DescribeStreamConsumer shows `status` (undefined: not found). */
export async function waitForConsumer(
  server: TestServer,
  arn: string,
  status: string | undefined,
): Promise<void> {
  for (let attempt = 0; attempt < 800; attempt++) {
    const reply = await server.call('DescribeStreamConsumer', { ConsumerARN: arn });
    const body = reply.body as { __type?: string; ConsumerDescription?: { ConsumerStatus?: string } };
    const current =
      body.__type === 'ResourceNotFoundException' ? undefined : body.ConsumerDescription?.ConsumerStatus;
    if (current === status) return;
    await sleep(25);
  }
  throw new Error(`consumer ${arn} did not reach ${status ?? 'deleted'}`);
}
