/**
 * Configuration: retention period, capacity mode, server-side encryption and tags, each its own
 * small form calling the matching Kinesis operation; the stream summary is refreshed after each.
 */
import {
  AddTagsToStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  IncreaseStreamRetentionPeriodCommand,
  ListTagsForStreamCommand,
  RemoveTagsFromStreamCommand,
  StartStreamEncryptionCommand,
  StopStreamEncryptionCommand,
  UpdateStreamModeCommand,
  type KinesisClient,
  type Tag,
} from '@aws-sdk/client-kinesis';
import { useState } from 'preact/hooks';
import { ErrorBanner, Field, Loading, useAction, useLoader } from '../components/ui.js';
import type { StreamTabProps } from './stream-detail.js';

const defaultKmsKey = 'alias/aws/kinesis';

export function ConfigurationTab(props: StreamTabProps) {
  return (
    <div class="grid-2">
      <RetentionForm {...props} />
      <CapacityModeForm {...props} />
      <EncryptionForm {...props} />
      <TagsEditor client={props.client} streamName={props.stream.StreamName ?? ''} />
    </div>
  );
}

function RetentionForm({ client, stream, refresh }: StreamTabProps) {
  const current = stream.RetentionPeriodHours ?? 24;
  const [hours, setHours] = useState(String(current));
  const action = useAction();
  return (
    <form
      class="card form"
      aria-label="Data retention"
      onSubmit={(event) => {
        event.preventDefault();
        const target = Number.parseInt(hours, 10);
        void action.run(async () => {
          const input = { StreamName: stream.StreamName, RetentionPeriodHours: target };
          if (target > current) await client.send(new IncreaseStreamRetentionPeriodCommand(input));
          else if (target < current) await client.send(new DecreaseStreamRetentionPeriodCommand(input));
          refresh();
        });
      }}
    >
      <h2>Data retention</h2>
      <Field
        id="retention-hours"
        label="Retention period (hours)"
        hint="From 24 hours (1 day) to 8,760 hours (365 days)."
      >
        <input
          id="retention-hours"
          type="number"
          min={24}
          max={8760}
          required
          aria-describedby="retention-hours-hint"
          value={hours}
          onInput={(event) => setHours(event.currentTarget.value)}
        />
      </Field>
      <ErrorBanner error={action.error} />
      <button
        type="submit"
        class="button-primary"
        disabled={action.running || stream.StreamStatus !== 'ACTIVE'}
      >
        Save retention
      </button>
    </form>
  );
}

function CapacityModeForm({ client, stream, refresh }: StreamTabProps) {
  const current = stream.StreamModeDetails?.StreamMode ?? 'PROVISIONED';
  const target = current === 'ON_DEMAND' ? 'PROVISIONED' : 'ON_DEMAND';
  const action = useAction();
  return (
    <div class="card form">
      <h2>Capacity mode</h2>
      <p>
        This stream is <strong>{current === 'ON_DEMAND' ? 'on-demand' : 'provisioned'}</strong>.
        {current === 'ON_DEMAND'
          ? ' Switching to provisioned keeps the current shards.'
          : ' On-demand streams scale their shards with the traffic.'}
      </p>
      <ErrorBanner error={action.error} />
      <button
        type="button"
        disabled={action.running || stream.StreamStatus !== 'ACTIVE'}
        onClick={() =>
          void action.run(async () => {
            await client.send(
              new UpdateStreamModeCommand({
                StreamARN: stream.StreamARN,
                StreamModeDetails: { StreamMode: target },
              }),
            );
            refresh();
          })
        }
      >
        Switch to {target === 'ON_DEMAND' ? 'on-demand' : 'provisioned'}
      </button>
    </div>
  );
}

function EncryptionForm({ client, stream, refresh }: StreamTabProps) {
  const encrypted = stream.EncryptionType === 'KMS';
  const [keyId, setKeyId] = useState(stream.KeyId ?? defaultKmsKey);
  const action = useAction();
  return (
    <form
      class="card form"
      aria-label="Server-side encryption"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          const input = {
            StreamName: stream.StreamName,
            EncryptionType: 'KMS' as const,
            KeyId: keyId.trim(),
          };
          await client.send(
            encrypted ? new StopStreamEncryptionCommand(input) : new StartStreamEncryptionCommand(input),
          );
          refresh();
        });
      }}
    >
      <h2>Server-side encryption</h2>
      <p>
        {encrypted
          ? `Records are encrypted with ${stream.KeyId ?? 'a KMS key'}.`
          : 'Records are not encrypted.'}
      </p>
      <Field id="kms-key-id" label="KMS key" hint="A key ARN, key id, alias name or alias ARN.">
        <input
          id="kms-key-id"
          required
          aria-describedby="kms-key-id-hint"
          value={keyId}
          readOnly={encrypted}
          onInput={(event) => setKeyId(event.currentTarget.value)}
        />
      </Field>
      <ErrorBanner error={action.error} />
      <button
        type="submit"
        class="button-primary"
        disabled={action.running || stream.StreamStatus !== 'ACTIVE'}
      >
        {encrypted ? 'Stop encryption' : 'Start encryption'}
      </button>
    </form>
  );
}

function TagsEditor({ client, streamName }: { client: KinesisClient; streamName: string }) {
  const tags = useLoader(async () => listAllTags(client, streamName), [client, streamName]);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const action = useAction();
  return (
    <div class="card form">
      <h2>Tags</h2>
      <ErrorBanner error={tags.error} title="Could not list tags." />
      {tags.data === undefined ? (
        tags.loading && <Loading />
      ) : tags.data.length === 0 ? (
        <p class="empty-inline">No tags.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Tags</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tags.data.map((tag) => (
              <tr key={tag.Key}>
                <td>{tag.Key}</td>
                <td>{tag.Value ?? ''}</td>
                <td class="row-actions">
                  <button
                    type="button"
                    class="button-quiet"
                    aria-label={`Remove tag ${tag.Key}`}
                    disabled={action.running}
                    onClick={() =>
                      void action.run(async () => {
                        await client.send(
                          new RemoveTagsFromStreamCommand({
                            StreamName: streamName,
                            TagKeys: [tag.Key ?? ''],
                          }),
                        );
                        tags.reload();
                      })
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        class="inline-fields"
        aria-label="Add a tag"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(async () => {
            await client.send(new AddTagsToStreamCommand({ StreamName: streamName, Tags: { [key]: value } }));
            setKey('');
            setValue('');
            tags.reload();
          });
        }}
      >
        <Field id="tag-key" label="Key">
          <input
            id="tag-key"
            required
            maxLength={128}
            value={key}
            onInput={(event) => setKey(event.currentTarget.value)}
          />
        </Field>
        <Field id="tag-value" label="Value (optional)">
          <input
            id="tag-value"
            maxLength={256}
            value={value}
            onInput={(event) => setValue(event.currentTarget.value)}
          />
        </Field>
        <button type="submit" disabled={action.running}>
          Add tag
        </button>
      </form>
      <ErrorBanner error={action.error} />
    </div>
  );
}

async function listAllTags(client: KinesisClient, streamName: string): Promise<Tag[]> {
  const tags: Tag[] = [];
  let exclusiveStartTagKey: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListTagsForStreamCommand({
        StreamName: streamName,
        ExclusiveStartTagKey: exclusiveStartTagKey,
        Limit: 50,
      }),
    );
    tags.push(...(page.Tags ?? []));
    const last = page.Tags?.at(-1)?.Key;
    if (page.HasMoreTags !== true || last === undefined) return tags;
    exclusiveStartTagKey = last;
  }
}
