/**
 * The data viewer: pick a shard and a starting position, then page through its records with
 * GetShardIterator and GetRecords (each page follows NextShardIterator). Data is shown as text,
 * pretty JSON or a hex dump.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type GetShardIteratorCommandInput,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { useState } from 'preact/hooks';
import { ErrorBanner, Field, Loading, useAction, useLoader } from '../components/ui.js';
import { dataFormats, formatBytes, formatData, formatDate, type DataFormat } from '../format.js';
import { isOpen, listAllShards } from '../streams.js';
import type { StreamTabProps } from './stream-detail.js';

const positions: readonly { value: ShardIteratorType; label: string }[] = [
  { value: 'TRIM_HORIZON', label: 'Trim horizon (oldest record)' },
  { value: 'LATEST', label: 'Latest (records after now)' },
  { value: 'AT_SEQUENCE_NUMBER', label: 'At sequence number' },
  { value: 'AFTER_SEQUENCE_NUMBER', label: 'After sequence number' },
  { value: 'AT_TIMESTAMP', label: 'At timestamp' },
];
const pageLimitDefault = 25;

interface Page {
  readonly shardId: string;
  readonly records: readonly _Record[];
  readonly nextIterator: string | undefined;
  readonly millisBehindLatest: number | undefined;
  readonly number: number;
}

export function DataViewerTab({ client, stream }: StreamTabProps) {
  const streamName = stream.StreamName ?? '';
  const shards = useLoader(() => listAllShards(client, streamName), [client, streamName]);
  const [shardId, setShardId] = useState('');
  const [position, setPosition] = useState<ShardIteratorType>('TRIM_HORIZON');
  const [sequenceNumber, setSequenceNumber] = useState('');
  const [timestamp, setTimestamp] = useState('');
  const [limit, setLimit] = useState(String(pageLimitDefault));
  const [format, setFormat] = useState<DataFormat>('text');
  const [page, setPage] = useState<Page | undefined>(undefined);
  const action = useAction();

  const chosenShard = shardId || (shards.data?.find(isOpen)?.ShardId ?? shards.data?.[0]?.ShardId ?? '');

  const fetchPage = async (pageShardId: string, iterator: string, number: number): Promise<void> => {
    const result = await client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: Number.parseInt(limit, 10) }),
    );
    setPage({
      shardId: pageShardId,
      records: result.Records ?? [],
      nextIterator: result.NextShardIterator,
      millisBehindLatest: result.MillisBehindLatest,
      number,
    });
  };

  const start = (event: Event): void => {
    event.preventDefault();
    setPage(undefined);
    void action.run(async () => {
      const input: GetShardIteratorCommandInput = {
        StreamName: streamName,
        ShardId: chosenShard,
        ShardIteratorType: position,
      };
      if (position === 'AT_SEQUENCE_NUMBER' || position === 'AFTER_SEQUENCE_NUMBER') {
        input.StartingSequenceNumber = sequenceNumber.trim();
      }
      if (position === 'AT_TIMESTAMP') input.Timestamp = new Date(timestamp);
      const iterator = await client.send(new GetShardIteratorCommand(input));
      if (iterator.ShardIterator === undefined) throw new Error('GetShardIterator returned no iterator');
      await fetchPage(chosenShard, iterator.ShardIterator, 1);
    });
  };

  return (
    <div class="data-viewer">
      <ErrorBanner error={shards.error} title="Could not list shards." />
      <form class="card form toolbar-form" onSubmit={start} aria-label="Choose records">
        <Field id="viewer-shard" label="Shard">
          <select
            id="viewer-shard"
            value={chosenShard}
            onChange={(event) => setShardId(event.currentTarget.value)}
            disabled={shards.data === undefined}
          >
            {(shards.data ?? []).map((shard) => (
              <option key={shard.ShardId} value={shard.ShardId}>
                {shard.ShardId} {isOpen(shard) ? '' : '(closed)'}
              </option>
            ))}
          </select>
        </Field>
        <Field id="viewer-position" label="Starting position">
          <select
            id="viewer-position"
            value={position}
            onChange={(event) => setPosition(event.currentTarget.value as ShardIteratorType)}
          >
            {positions.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </select>
        </Field>
        {(position === 'AT_SEQUENCE_NUMBER' || position === 'AFTER_SEQUENCE_NUMBER') && (
          <Field id="viewer-sequence-number" label="Sequence number">
            <input
              id="viewer-sequence-number"
              required
              inputMode="numeric"
              pattern="0|([1-9]\d{0,128})"
              value={sequenceNumber}
              onInput={(event) => setSequenceNumber(event.currentTarget.value)}
            />
          </Field>
        )}
        {position === 'AT_TIMESTAMP' && (
          <Field id="viewer-timestamp" label="Timestamp (your local time)">
            <input
              id="viewer-timestamp"
              type="datetime-local"
              step={1}
              required
              value={timestamp}
              onInput={(event) => setTimestamp(event.currentTarget.value)}
            />
          </Field>
        )}
        <Field id="viewer-limit" label="Records per page">
          <input
            id="viewer-limit"
            type="number"
            min={1}
            max={10000}
            required
            value={limit}
            onInput={(event) => setLimit(event.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="button-primary" disabled={action.running || chosenShard === ''}>
          Get records
        </button>
      </form>
      <ErrorBanner error={action.error} title="Could not read records." />
      {action.running && <Loading label="Reading records…" />}
      {page !== undefined && (
        <div class="card">
          <div class="page-header">
            <h2>
              {page.shardId}, page {page.number}: {page.records.length} record
              {page.records.length === 1 ? '' : 's'}
            </h2>
            <div class="actions">
              <fieldset class="segmented">
                <legend class="visually-hidden">Show data as</legend>
                {dataFormats.map((item) => (
                  <label key={item} class={format === item ? 'selected' : ''}>
                    <input
                      type="radio"
                      name="data-format"
                      value={item}
                      checked={format === item}
                      onChange={() => setFormat(item)}
                    />
                    {item === 'json' ? 'JSON' : item === 'hex' ? 'Hex' : 'Text'}
                  </label>
                ))}
              </fieldset>
              <button
                type="button"
                disabled={action.running || page.nextIterator === undefined}
                onClick={() => {
                  const next = page.nextIterator;
                  if (next !== undefined)
                    void action.run(() => fetchPage(page.shardId, next, page.number + 1));
                }}
              >
                Next page
              </button>
            </div>
          </div>
          <p class="muted">
            {page.millisBehindLatest === undefined
              ? ''
              : page.millisBehindLatest === 0
                ? 'At the tip of the shard.'
                : `${page.millisBehindLatest.toLocaleString('en-US')} ms behind the tip.`}
            {page.nextIterator === undefined ? ' The shard is closed and fully read.' : ''}
          </p>
          {page.records.length === 0 ? (
            <p class="empty-inline">
              No records on this page. Try the next page, or another starting position.
            </p>
          ) : (
            <table class="table records-table">
              <caption class="visually-hidden">Records</caption>
              <thead>
                <tr>
                  <th scope="col">Sequence number</th>
                  <th scope="col">Partition key</th>
                  <th scope="col">Arrival</th>
                  <th scope="col">Size</th>
                  <th scope="col">Data</th>
                </tr>
              </thead>
              <tbody>
                {page.records.map((record) => (
                  <tr key={record.SequenceNumber}>
                    <td>
                      <code class="truncate" title={record.SequenceNumber}>
                        {record.SequenceNumber}
                      </code>
                    </td>
                    <td>{record.PartitionKey}</td>
                    <td class="nowrap">{formatDate(record.ApproximateArrivalTimestamp)}</td>
                    <td class="number nowrap">{formatBytes(record.Data?.length ?? 0)}</td>
                    <td>
                      <pre class="record-data">{formatData(record.Data ?? new Uint8Array(), format)}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </div>
  );
}
