/**
 * Put records: rows of partition key and data (with an optional explicit hash key), sent in one
 * PutRecords call; the answer shows, per record, the shard and sequence number or the error.
 */
import { PutRecordsCommand, type PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { useState } from 'preact/hooks';
import { ErrorBanner, useAction } from '../components/ui.js';
import type { StreamTabProps } from './stream-detail.js';

interface Row {
  readonly key: number;
  partitionKey: string;
  data: string;
  explicitHashKey: string;
}

const putRecordsCountMax = 500;
const encoder = new TextEncoder();
let nextRowKey = 1;

function emptyRow(): Row {
  return { key: nextRowKey++, partitionKey: '', data: '', explicitHashKey: '' };
}

export function PutRecordsTab({ client, stream }: StreamTabProps) {
  const [rows, setRows] = useState<Row[]>(() => [emptyRow()]);
  const [results, setResults] = useState<readonly PutRecordsResultEntry[] | undefined>(undefined);
  const action = useAction();

  const update = (key: number, change: Partial<Row>): void =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const submit = (event: Event): void => {
    event.preventDefault();
    void action.run(async () => {
      const result = await client.send(
        new PutRecordsCommand({
          StreamName: stream.StreamName,
          Records: rows.map((row) => ({
            PartitionKey: row.partitionKey,
            Data: encoder.encode(row.data),
            ...(row.explicitHashKey.trim() === '' ? {} : { ExplicitHashKey: row.explicitHashKey.trim() }),
          })),
        }),
      );
      setResults(result.Records ?? []);
    });
  };

  const failed = results?.filter((entry) => entry.ErrorCode !== undefined).length ?? 0;
  return (
    <div>
      <form class="card form" onSubmit={submit} aria-label="Put records">
        <h2>Put records</h2>
        <p class="hint">
          Each record goes to the shard whose hash key range holds the MD5 of its partition key (or its
          explicit hash key). Data is sent as UTF-8 text.
        </p>
        {rows.map((row, index) => (
          <fieldset class="record-row" key={row.key}>
            <legend>Record {index + 1}</legend>
            <div class="field">
              <label for={`partition-key-${row.key}`}>Partition key</label>
              <input
                id={`partition-key-${row.key}`}
                required
                maxLength={256}
                value={row.partitionKey}
                onInput={(event) => update(row.key, { partitionKey: event.currentTarget.value })}
              />
            </div>
            <div class="field grow">
              <label for={`data-${row.key}`}>Data</label>
              <textarea
                id={`data-${row.key}`}
                rows={2}
                value={row.data}
                onInput={(event) => update(row.key, { data: event.currentTarget.value })}
              />
            </div>
            <div class="field">
              <label for={`explicit-hash-key-${row.key}`}>Explicit hash key (optional)</label>
              <input
                id={`explicit-hash-key-${row.key}`}
                inputMode="numeric"
                pattern="\d{1,39}"
                value={row.explicitHashKey}
                onInput={(event) => update(row.key, { explicitHashKey: event.currentTarget.value })}
              />
            </div>
            <button
              type="button"
              class="button-quiet"
              disabled={rows.length === 1}
              aria-label={`Remove record ${index + 1}`}
              onClick={() => setRows((current) => current.filter((item) => item.key !== row.key))}
            >
              Remove
            </button>
          </fieldset>
        ))}
        <div class="actions">
          <button
            type="button"
            disabled={rows.length >= putRecordsCountMax}
            onClick={() => setRows((current) => [...current, emptyRow()])}
          >
            Add record
          </button>
          <button type="submit" class="button-primary" disabled={action.running}>
            {action.running ? 'Putting…' : `Put ${rows.length} record${rows.length === 1 ? '' : 's'}`}
          </button>
        </div>
        <ErrorBanner error={action.error} title="PutRecords failed." />
      </form>
      {results !== undefined && (
        <div class="card" role="status">
          <h2>
            {results.length - failed} of {results.length} records put
            {failed > 0 ? `, ${failed} failed` : ''}
          </h2>
          <table class="table put-results">
            <caption class="visually-hidden">PutRecords results</caption>
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Shard</th>
                <th scope="col">Sequence number or error</th>
              </tr>
            </thead>
            <tbody>
              {results.map((entry, index) => (
                <tr key={index}>
                  <td>{index + 1}</td>
                  <td>{entry.ShardId ?? '—'}</td>
                  <td>
                    {entry.ErrorCode === undefined ? (
                      <code>{entry.SequenceNumber}</code>
                    ) : (
                      <span class="error-text">
                        {entry.ErrorCode}: {entry.ErrorMessage}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
