/** Enhanced fan-out consumers of the stream: list, register and deregister. */
import {
  DeregisterStreamConsumerCommand,
  ListStreamConsumersCommand,
  RegisterStreamConsumerCommand,
  type Consumer,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBanner, Field, Loading, StatusBadge, useAction, useLoader } from '../components/ui.js';
import { formatDate } from '../format.js';
import type { StreamTabProps } from './stream-detail.js';

const pollMs = 700;

export function ConsumersTab({ client, stream, refresh }: StreamTabProps) {
  const streamArn = stream.StreamARN ?? '';
  const consumers = useLoader(() => listAllConsumers(client, streamArn), [client, streamArn]);
  const [name, setName] = useState('');
  const action = useAction();
  const settling = consumers.data?.some((consumer) => consumer.ConsumerStatus !== 'ACTIVE') === true;
  useEffect(() => {
    if (!settling || consumers.loading) return undefined;
    const timer = setTimeout(consumers.reload, pollMs);
    return () => clearTimeout(timer);
  }, [settling, consumers.loading, consumers.data]);

  const change = (call: () => Promise<unknown>): Promise<void> =>
    action.run(async () => {
      await call();
      consumers.reload();
      refresh();
    });

  return (
    <div class="card">
      <h2>Enhanced fan-out consumers</h2>
      <p class="hint">
        Each registered consumer gets its own 2 MiB/s per shard read pipe through SubscribeToShard.
      </p>
      <ErrorBanner error={consumers.error} title="Could not list consumers." />
      {consumers.data === undefined ? (
        consumers.loading && <Loading />
      ) : consumers.data.length === 0 ? (
        <p class="empty-inline">No consumers are registered on this stream.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Consumers</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Registered</th>
              <th scope="col">ARN</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {consumers.data.map((consumer) => (
              <tr key={consumer.ConsumerARN}>
                <td>{consumer.ConsumerName}</td>
                <td>
                  <StatusBadge status={consumer.ConsumerStatus} />
                </td>
                <td class="nowrap">{formatDate(consumer.ConsumerCreationTimestamp)}</td>
                <td>
                  <code class="truncate" title={consumer.ConsumerARN}>
                    {consumer.ConsumerARN}
                  </code>
                </td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="button-quiet"
                    disabled={action.running || consumer.ConsumerStatus !== 'ACTIVE'}
                    aria-label={`Deregister ${consumer.ConsumerName}`}
                    onClick={() =>
                      void change(() =>
                        client.send(
                          new DeregisterStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN }),
                        ),
                      )
                    }
                  >
                    Deregister
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        class="inline-fields"
        aria-label="Register a consumer"
        onSubmit={(event) => {
          event.preventDefault();
          void change(async () => {
            await client.send(
              new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: name }),
            );
            setName('');
          });
        }}
      >
        <Field id="consumer-name" label="Consumer name">
          <input
            id="consumer-name"
            required
            maxLength={128}
            pattern="[a-zA-Z0-9_.\-]+"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </Field>
        <button
          type="submit"
          class="button-primary"
          disabled={action.running || stream.StreamStatus !== 'ACTIVE'}
        >
          Register consumer
        </button>
      </form>
      <ErrorBanner error={action.error} />
    </div>
  );
}

async function listAllConsumers(client: KinesisClient, streamArn: string): Promise<Consumer[]> {
  const consumers: Consumer[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListStreamConsumersCommand(
        nextToken === undefined
          ? { StreamARN: streamArn, MaxResults: 100 }
          : { StreamARN: streamArn, NextToken: nextToken },
      ),
    );
    consumers.push(...(page.Consumers ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return consumers;
}
