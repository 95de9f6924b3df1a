/**
 * Create a data stream: name, capacity mode and shard count, with the stream's total capacity
 * computed as the AWS console's form shows it (per shard: 1 MiB/s and 1,000 records/s in, 2 MiB/s
 * out). On-demand streams start with AWS's default of 4 MiB/s write capacity.
 */
import { CreateStreamCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { useState } from 'preact/hooks';
import { ErrorBanner, Field, useAction } from '../components/ui.js';
import { formatNumber } from '../format.js';
import { linkTo, navigate, streamPath } from '../router.js';

const writeMibPerShard = 1;
const writeRecordsPerShard = 1000;
const readMibPerShard = 2;
/** AWS's on-demand streams start sized for 4 MiB/s and 4,000 records/s of writes. */
const onDemandInitialShards = 4;
const streamNamePattern = '[a-zA-Z0-9_.\\-]{1,128}';

export function CreateStreamPage({ client }: { client: KinesisClient }) {
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'PROVISIONED' | 'ON_DEMAND'>('PROVISIONED');
  const [shardCountText, setShardCountText] = useState('1');
  const action = useAction();
  const shardCount = Number.parseInt(shardCountText, 10);
  const capacityShards =
    mode === 'ON_DEMAND' ? onDemandInitialShards : Number.isInteger(shardCount) ? shardCount : 0;

  const submit = (event: Event): void => {
    event.preventDefault();
    void action.run(async () => {
      await client.send(
        new CreateStreamCommand({
          StreamName: name,
          StreamModeDetails: { StreamMode: mode },
          ...(mode === 'PROVISIONED' ? { ShardCount: shardCount } : {}),
        }),
      );
      navigate(streamPath(name));
    });
  };

  return (
    <section aria-labelledby="create-title">
      <p class="breadcrumb">
        <a href="/streams" onClick={linkTo('/streams')}>
          Data streams
        </a>{' '}
        › Create data stream
      </p>
      <h1 id="create-title">Create data stream</h1>
      <form class="card form" onSubmit={submit}>
        <h2>Data stream configuration</h2>
        <Field
          id="stream-name"
          label="Data stream name"
          hint="1–128 characters: letters, digits, hyphens (-), underscores (_) and periods (.)."
        >
          <input
            id="stream-name"
            name="streamName"
            required
            pattern={streamNamePattern}
            aria-describedby="stream-name-hint"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </Field>
        <fieldset class="field">
          <legend>Capacity mode</legend>
          <label class="choice">
            <input
              type="radio"
              name="mode"
              value="PROVISIONED"
              checked={mode === 'PROVISIONED'}
              onChange={() => setMode('PROVISIONED')}
            />
            <span>
              <strong>Provisioned</strong> — you choose the number of shards.
            </span>
          </label>
          <label class="choice">
            <input
              type="radio"
              name="mode"
              value="ON_DEMAND"
              checked={mode === 'ON_DEMAND'}
              onChange={() => setMode('ON_DEMAND')}
            />
            <span>
              <strong>On-demand</strong> — capacity follows the traffic.
            </span>
          </label>
        </fieldset>
        {mode === 'PROVISIONED' && (
          <Field
            id="shard-count"
            label="Number of shards"
            hint="A shard is a unit of throughput capacity. Each shard ingests up to 1 MiB/s and 1,000 records/s, and emits up to 2 MiB/s. You can change the number of shards later."
          >
            <input
              id="shard-count"
              name="shardCount"
              type="number"
              min={1}
              step={1}
              required
              aria-describedby="shard-count-hint"
              value={shardCountText}
              onInput={(event) => setShardCountText(event.currentTarget.value)}
            />
          </Field>
        )}
        <div class="capacity" aria-live="polite">
          <h3>Total data stream capacity</h3>
          <p class="hint">
            {mode === 'PROVISIONED'
              ? 'Calculated from the number of shards entered above.'
              : 'An on-demand stream starts with this capacity and scales with its writes.'}
          </p>
          <dl class="capacity-grid">
            <div>
              <dt>Write capacity</dt>
              <dd data-testid="write-capacity">
                {formatNumber(capacityShards * writeMibPerShard)} MiB/second and{' '}
                {formatNumber(capacityShards * writeRecordsPerShard)} records/second
              </dd>
            </div>
            <div>
              <dt>Read capacity</dt>
              <dd data-testid="read-capacity">{formatNumber(capacityShards * readMibPerShard)} MiB/second</dd>
            </div>
          </dl>
        </div>
        <ErrorBanner error={action.error} title="Could not create the stream." />
        <div class="actions">
          <a class="button" href="/streams" onClick={linkTo('/streams')}>
            Cancel
          </a>
          <button type="submit" class="button-primary" disabled={action.running}>
            {action.running ? 'Creating…' : 'Create data stream'}
          </button>
        </div>
      </form>
    </section>
  );
}
