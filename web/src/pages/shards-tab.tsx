/**
 * Shards: the shard map, a table of every shard (open and closed, with its hash range and
 * parents), and the reshard actions — split a shard (at its midpoint or a chosen hash key), merge
 * two adjacent open shards, or scale uniformly to a shard count. After a change the tab waits for
 * the stream to be ACTIVE again and redraws.
 */
import {
  MergeShardsCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { useState } from 'preact/hooks';
import { ShardMap } from '../components/shard-map.js';
import { ErrorBanner, Field, Loading, useAction, useLoader } from '../components/ui.js';
import { hashKeyFraction, midpointHashKey } from '../format.js';
import { isOpen, listAllShards, waitUntilSettled } from '../streams.js';
import type { StreamTabProps } from './stream-detail.js';

export function ShardsTab({ client, stream, refresh }: StreamTabProps) {
  const streamName = stream.StreamName ?? '';
  const shards = useLoader(
    () => listAllShards(client, streamName),
    [client, streamName, stream.StreamStatus],
  );
  const action = useAction();
  const [splitting, setSplitting] = useState<Shard | undefined>(undefined);
  const active = stream.StreamStatus === 'ACTIVE';

  const reshard = (change: () => Promise<unknown>): Promise<void> =>
    action.run(async () => {
      await change();
      setSplitting(undefined);
      refresh();
      await waitUntilSettled(client, streamName);
      refresh();
      shards.reload();
    });

  const list = shards.data ?? [];
  const open = list.filter(isOpen).sort(byStartingHashKey);
  return (
    <div>
      <ErrorBanner error={shards.error} title="Could not list shards." />
      {shards.data === undefined ? (
        shards.loading && <Loading />
      ) : (
        <>
          <ShardMap shards={list} />
          <ErrorBanner error={action.error} title="The reshard failed." />
          {action.running && <Loading label="Resharding — waiting for the stream to be ACTIVE…" />}
          {splitting !== undefined && (
            <SplitForm
              shard={splitting}
              disabled={!active || action.running}
              onCancel={() => setSplitting(undefined)}
              onSplit={(newStartingHashKey) =>
                reshard(() =>
                  client.send(
                    new SplitShardCommand({
                      StreamName: streamName,
                      ShardToSplit: splitting.ShardId,
                      NewStartingHashKey: newStartingHashKey,
                    }),
                  ),
                )
              }
            />
          )}
          <table class="table shards-table">
            <caption class="visually-hidden">Shards</caption>
            <thead>
              <tr>
                <th scope="col">Shard</th>
                <th scope="col">State</th>
                <th scope="col">Hash key range</th>
                <th scope="col">Parents</th>
                <th scope="col">Starting sequence number</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((shard) => {
                const id = shard.ShardId ?? '';
                const shardOpen = isOpen(shard);
                const neighbour = shardOpen ? adjacentAfter(shard, open) : undefined;
                return (
                  <tr key={id} data-shard-id={id}>
                    <td>
                      <code>{id}</code>
                    </td>
                    <td>
                      <span class={shardOpen ? 'badge badge-active' : 'badge badge-closed'}>
                        {shardOpen ? 'Open' : 'Closed'}
                      </span>
                    </td>
                    <td
                      class="nowrap"
                      title={`${shard.HashKeyRange?.StartingHashKey} – ${shard.HashKeyRange?.EndingHashKey}`}
                    >
                      {percent(shard.HashKeyRange?.StartingHashKey)} –{' '}
                      {percent(shard.HashKeyRange?.EndingHashKey)}
                    </td>
                    <td>
                      <Parents shard={shard} />
                    </td>
                    <td>
                      <code class="truncate" title={shard.SequenceNumberRange?.StartingSequenceNumber}>
                        {shard.SequenceNumberRange?.StartingSequenceNumber}
                      </code>
                    </td>
                    <td class="row-actions">
                      {shardOpen && (
                        <button
                          type="button"
                          disabled={!active || action.running}
                          onClick={() => setSplitting(shard)}
                          aria-label={`Split ${id}`}
                        >
                          Split
                        </button>
                      )}
                      {neighbour !== undefined && (
                        <button
                          type="button"
                          disabled={!active || action.running}
                          aria-label={`Merge ${id} with ${neighbour.ShardId}`}
                          onClick={() =>
                            void reshard(() =>
                              client.send(
                                new MergeShardsCommand({
                                  StreamName: streamName,
                                  ShardToMerge: id,
                                  AdjacentShardToMerge: neighbour.ShardId,
                                }),
                              ),
                            )
                          }
                        >
                          Merge with next
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {stream.StreamModeDetails?.StreamMode !== 'ON_DEMAND' && (
            <ShardCountForm
              key={open.length}
              current={open.length}
              disabled={!active || action.running}
              onUpdate={(target) =>
                reshard(() =>
                  client.send(
                    new UpdateShardCountCommand({
                      StreamName: streamName,
                      TargetShardCount: target,
                      ScalingType: 'UNIFORM_SCALING',
                    }),
                  ),
                )
              }
            />
          )}
        </>
      )}
    </div>
  );
}

function SplitForm({
  shard,
  disabled,
  onSplit,
  onCancel,
}: {
  shard: Shard;
  disabled: boolean;
  onSplit: (newStartingHashKey: string) => Promise<void>;
  onCancel: () => void;
}) {
  const start = shard.HashKeyRange?.StartingHashKey ?? '0';
  const end = shard.HashKeyRange?.EndingHashKey ?? '0';
  const [hashKey, setHashKey] = useState(midpointHashKey(start, end));
  return (
    <form
      class="card form inline-form"
      aria-label={`Split ${shard.ShardId}`}
      onSubmit={(event) => {
        event.preventDefault();
        void onSplit(hashKey.trim());
      }}
    >
      <h3>Split {shard.ShardId}</h3>
      <Field
        id="new-starting-hash-key"
        label="New starting hash key"
        hint={`The second child starts here; it must be above ${start} and at most ${end}. The default halves the range.`}
      >
        <input
          id="new-starting-hash-key"
          required
          inputMode="numeric"
          pattern="\d{1,39}"
          aria-describedby="new-starting-hash-key-hint"
          value={hashKey}
          onInput={(event) => setHashKey(event.currentTarget.value)}
        />
      </Field>
      <div class="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button-primary" disabled={disabled}>
          Split shard
        </button>
      </div>
    </form>
  );
}

function ShardCountForm({
  current,
  disabled,
  onUpdate,
}: {
  current: number;
  disabled: boolean;
  onUpdate: (target: number) => Promise<void>;
}) {
  const [target, setTarget] = useState(String(current));
  return (
    <form
      class="card form inline-form"
      aria-label="Update shard count"
      onSubmit={(event) => {
        event.preventDefault();
        void onUpdate(Number.parseInt(target, 10));
      }}
    >
      <h3>Update shard count</h3>
      <Field
        id="target-shard-count"
        label="Target number of open shards"
        hint={`Now ${current}. Uniform scaling splits or merges shards until the hash key space is shared evenly; at most double or half the current count per update.`}
      >
        <input
          id="target-shard-count"
          type="number"
          min={1}
          step={1}
          required
          aria-describedby="target-shard-count-hint"
          value={target}
          onInput={(event) => setTarget(event.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="button-primary" disabled={disabled}>
        Update shard count
      </button>
    </form>
  );
}

function Parents({ shard }: { shard: Shard }) {
  const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter(
    (parent): parent is string => parent !== undefined,
  );
  if (parents.length === 0) return <>—</>;
  return (
    <ul class="plain-list">
      {parents.map((parent) => (
        <li key={parent}>
          <code>{parent}</code>
        </li>
      ))}
    </ul>
  );
}

function byStartingHashKey(left: Shard, right: Shard): number {
  const a = BigInt(left.HashKeyRange?.StartingHashKey ?? '0');
  const b = BigInt(right.HashKeyRange?.StartingHashKey ?? '0');
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The open shard whose range starts right after this one's ends, if any. */
function adjacentAfter(shard: Shard, open: readonly Shard[]): Shard | undefined {
  const end = shard.HashKeyRange?.EndingHashKey;
  if (end === undefined) return undefined;
  const next = (BigInt(end) + 1n).toString();
  return open.find((candidate) => candidate.HashKeyRange?.StartingHashKey === next);
}

function percent(hashKey: string | undefined): string {
  return hashKey === undefined ? '—' : `${(hashKeyFraction(hashKey) * 100).toFixed(2)}%`;
}
