/**
 * How `tail` and `export` print a record. `json`: one JSON object a line, {shardId,
 * sequenceNumber, partitionKey, approximateArrivalTimestamp (ISO 8601), data (base64)};
 * `text`: shard, sequence number, partition key and the data as UTF-8, tab-separated, with
 * backslash, tab, CR and LF escaped so each record stays on one line; `hex`: the same with the
 * data in hexadecimal.
 */
import type { _Record } from '@aws-sdk/client-kinesis';
import { unreachable } from '../../core/assert.js';

export const recordFormats = ['text', 'json', 'hex'] as const;
export type RecordFormat = (typeof recordFormats)[number];

export interface RecordLine {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly approximateArrivalTimestamp: string | null;
  readonly data: string;
}

export function recordLine(shardId: string, record: _Record): RecordLine {
  return {
    shardId,
    sequenceNumber: record.SequenceNumber ?? '',
    partitionKey: record.PartitionKey ?? '',
    approximateArrivalTimestamp: record.ApproximateArrivalTimestamp?.toISOString() ?? null,
    data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
  };
}

export function formatRecord(format: RecordFormat, shardId: string, record: _Record): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(recordLine(shardId, record))}\n`;
    case 'text':
    case 'hex': {
      const data = Buffer.from(record.Data ?? new Uint8Array());
      const shown = format === 'hex' ? data.toString('hex') : escapeText(data.toString('utf8'));
      return `${shardId}\t${record.SequenceNumber ?? ''}\t${escapeText(record.PartitionKey ?? '')}\t${shown}\n`;
    }
    default:
      return unreachable(format);
  }
}

const escapes: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\r': '\\r', '\n': '\\n' };

function escapeText(text: string): string {
  return text.replace(/[\\\t\r\n]/g, (character) => escapes[character] as string);
}
