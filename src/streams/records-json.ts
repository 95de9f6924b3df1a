/**
 * GetRecords' JSON body written straight into one Buffer (see `protocol/own-json-body.ts`): each
 * record becomes one short string, measured first so that the Buffer is allocated once at its
 * exact size, then written; the members after `Records` go through `encodeJson` as usual. The
 * bytes equal `encodeJson` of the same output (member order included), which
 * `records-json.test.ts` checks on random records.
 */
import { assert } from '../core/assert.js';
import { encodeJson } from '../protocol/json-codec.js';
import { ownJsonBody } from '../protocol/own-json-body.js';

export interface WireRecord {
  readonly SequenceNumber: string;
  readonly ApproximateArrivalTimestamp: Date;
  readonly Data: Buffer;
  readonly PartitionKey: string;
  readonly EncryptionType?: string;
}

/** Printable ASCII but `"` and `\`: JSON writes such a string as it is, between quotes. */
const plainJsonString = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `output` with its own JSON writer attached; `output.Records` must come first among its members. */
export function withRecordsJson<T extends { readonly Records: readonly WireRecord[] }>(output: T): T {
  Object.defineProperty(output, ownJsonBody, { value: () => recordsJson(output), enumerable: false });
  return output;
}

function recordsJson(output: { readonly Records: readonly WireRecord[] }): Buffer {
  const { Records: records, ...rest } = output;
  const restJson = encodeJson(rest);
  const head = '{"Records":[';
  const tail = restJson === '{}' ? ']}' : '],' + restJson.slice(1);
  const parts = new Array<string>(records.length);
  let bytes = head.length + Buffer.byteLength(tail, 'utf8');
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    const key = record.PartitionKey;
    const plainKey = plainJsonString.test(key);
    const keyJson = plainKey ? '"' + key + '"' : JSON.stringify(key);
    const epochMs = record.ApproximateArrivalTimestamp.getTime();
    assert(Number.isFinite(epochMs), 'JSON encode: invalid Date');
    let part =
      // Sequence numbers are decimal digits (sequence-number.ts): nothing to escape.
      (index === 0 ? '{"SequenceNumber":"' : ',{"SequenceNumber":"') +
      record.SequenceNumber +
      '","ApproximateArrivalTimestamp":' +
      String(epochMs / 1000) +
      ',"Data":"' +
      record.Data.toString('base64') +
      '","PartitionKey":' +
      keyJson;
    if (record.EncryptionType !== undefined)
      part += ',"EncryptionType":' + JSON.stringify(record.EncryptionType);
    part += '}';
    parts[index] = part;
    // Only a partition key (or an encryption type) can hold non-ASCII characters.
    bytes += plainKey && record.EncryptionType === undefined ? part.length : Buffer.byteLength(part, 'utf8');
  }
  const body = Buffer.allocUnsafe(bytes);
  let at = body.write(head, 0, 'latin1');
  for (const part of parts) at += body.write(part, at, 'utf8');
  at += body.write(tail, at, 'utf8');
  assert(at === bytes, 'GetRecords JSON: size mismatch');
  return body;
}
