/**
 * GetRecords' JSON body written straight into one Buffer (see `protocol/own-json-body.ts`): each
 * record becomes one short string, measured first so that the Buffer is allocated once at its
 * exact size, then written; the members after `Records` go through `encodeJson` as usual. The
 * bytes equal `encodeJson` of the same output (member order included), which
 * `records-json.test.ts` checks on random records.
 *
 * `withBatchRecordsJson` writes the same body for records still in the `RecordBatch` a read gave
 * (all in the clear): no object, string or Buffer view per record. Sequence numbers are stepped
 * as decimal digits inside the output template, data is base64-encoded from the read's chunks
 * into the body, and plain ASCII partition keys are copied as bytes.
 */
import { assert } from '../core/assert.js';
import { base64Bytes, writeBase64 } from '../core/base64-into.js';
import type { RecordBatch } from '../log/record-batch.js';
import { encodeJson } from '../protocol/json-codec.js';
import { ownJsonBody } from '../protocol/own-json-body.js';
import { formatSequenceNumber, SequenceNumberDigits, sequenceNumberDigits } from './sequence-number.js';

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

const head = '{"Records":[';

/** What follows the records array: `]}` or `],` and the other members. */
function tailJson(rest: object): string {
  const restJson = encodeJson(rest);
  return restJson === '{}' ? ']}' : '],' + restJson.slice(1);
}

function recordsJson(output: { readonly Records: readonly WireRecord[] }): Buffer {
  const { Records: records, ...rest } = output;
  const tail = tailJson(rest);
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

/** Records `[from, batch.count)` of a read, all in the clear, and how the shard numbers them. */
export interface BatchRecords {
  readonly batch: RecordBatch;
  readonly from: number;
  readonly shardCreatedSeconds: number;
  readonly shardIndex: number;
  /** `NONE` on an encrypted stream's records in the clear; no member on an unencrypted stream. */
  readonly encryptionType: string | undefined;
}

/**
 * Gives `output` (whose first member must be `Records`, the wire records of `records`) a JSON
 * writer that writes them from the batch; `rest` are output's other members, in order.
 * `afterWrite` runs once the body is written (GetRecords releases the batch then).
 */
export function withBatchRecordsJson<T extends { readonly Records: readonly WireRecord[] }>(
  output: T,
  records: BatchRecords,
  rest: object,
  afterWrite: () => void = () => undefined,
): T {
  Object.defineProperty(output, ownJsonBody, {
    value: () => {
      const body = batchRecordsJson(records, rest);
      afterWrite();
      return body;
    },
    enumerable: false,
  });
  return output;
}

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const sequenceNumberHead = '{"SequenceNumber":"';
const arrivalHead = '","ApproximateArrivalTimestamp":';
const dataHead = ',"Data":"';
const keyHead = ascii('","PartitionKey":');
const recordFixedBytes =
  sequenceNumberHead.length +
  sequenceNumberDigits +
  arrivalHead.length +
  dataHead.length +
  keyHead.length +
  1;

/** Whether JSON writes the key bytes as they are (printable ASCII but `"` and `\`). */
function isPlainKey(source: Buffer, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const byte = source[index]!;
    if (byte < 0x20 || byte > 0x7e || byte === 0x22 || byte === 0x5c) return false;
  }
  return true;
}

function batchRecordsJson(records: BatchRecords, rest: object): Buffer {
  const { batch, from } = records;
  const count = batch.count;
  const tail = tailJson(rest);
  const typeMember =
    records.encryptionType === undefined ? '' : ',"EncryptionType":' + JSON.stringify(records.encryptionType);
  const typeMemberBytes = Buffer.byteLength(typeMember, 'utf8');
  // Pass 1: the exact size. Keys JSON must escape are kept as their JSON text for pass 2.
  let escapedKeys: Map<number, string> | undefined;
  let bytes = head.length + Buffer.byteLength(tail, 'utf8') + Math.max(0, count - from - 1);
  let lastTimestampMs = Number.NaN;
  let timestampBytes = 0;
  for (let index = from; index < count; index++) {
    const source = batch.source(index);
    const keyStart = batch.keyStart(index);
    const dataStart = batch.dataStart(index);
    let keyJsonBytes = dataStart - keyStart + 2;
    if (!isPlainKey(source, keyStart, dataStart)) {
      const keyJson = JSON.stringify(batch.partitionKey(index));
      (escapedKeys ??= new Map()).set(index, keyJson);
      keyJsonBytes = Buffer.byteLength(keyJson, 'utf8');
    }
    const timestampMs = batch.timestampMs(index);
    if (timestampMs !== lastTimestampMs) {
      lastTimestampMs = timestampMs;
      timestampBytes = String(timestampMs / 1000).length;
    }
    bytes +=
      recordFixedBytes +
      timestampBytes +
      base64Bytes(batch.dataEnd(index) - dataStart) +
      keyJsonBytes +
      typeMemberBytes;
  }
  // Pass 2: write. `opening` holds `{"SequenceNumber":"<digits>","ApproximateArrivalTimestamp":<t>,"Data":"`,
  // its digits stepped in place per record, rebuilt when the arrival time changes.
  const body = Buffer.allocUnsafe(bytes);
  const view = new DataView(body.buffer, body.byteOffset, body.length);
  const digitsAt = sequenceNumberHead.length;
  const stepper = new SequenceNumberDigits();
  const closing = Buffer.from('"' + typeMember + '}', 'utf8');
  let at = body.write(head, 0, 'latin1');
  let runSeconds = Number.NaN;
  // Replaced at the first record (its arrival time differs from NaN), which also starts a run.
  let opening: Buffer = ascii(sequenceNumberHead + '0'.repeat(sequenceNumberDigits));
  lastTimestampMs = Number.NaN;
  for (let index = from; index < count; index++) {
    if (index > from) body[at++] = 0x2c; // ','
    const timestampMs = batch.timestampMs(index);
    if (timestampMs !== lastTimestampMs) {
      lastTimestampMs = timestampMs;
      const previous = opening;
      opening = ascii(
        sequenceNumberHead +
          '0'.repeat(sequenceNumberDigits) +
          arrivalHead +
          String(timestampMs / 1000) +
          dataHead,
      );
      // The current number's digits carry over: the stepper rewrites only those that change.
      previous.copy(opening, digitsAt, digitsAt, digitsAt + sequenceNumberDigits);
    }
    const seconds = Math.floor(timestampMs / 1000);
    if (seconds !== runSeconds) {
      // A new arrival second starts a run: one BigInt formatting, then decimal steps.
      runSeconds = seconds;
      const digits = formatSequenceNumber({
        shardCreatedSeconds: records.shardCreatedSeconds,
        shardIndex: records.shardIndex,
        counter: BigInt(batch.firstOffset + index) + 1n,
        arrivalSeconds: seconds,
      });
      assert(digits.length === sequenceNumberDigits, 'sequence number length');
      opening.write(digits, digitsAt, 'latin1');
      stepper.load(opening, digitsAt);
    } else {
      stepper.step(opening, digitsAt);
    }
    body.set(opening, at);
    at += opening.length;
    const source = batch.source(index);
    const keyStart = batch.keyStart(index);
    const dataStart = batch.dataStart(index);
    at = writeBase64(source, dataStart, batch.dataEnd(index), view, at);
    body.set(keyHead, at);
    at += keyHead.length;
    const keyJson = escapedKeys?.get(index);
    if (keyJson === undefined) {
      body[at++] = 0x22;
      for (let byte = keyStart; byte < dataStart; byte++) body[at++] = source[byte]!;
    } else {
      // The key's JSON text, quotes included: `closing` writes its closing quote again.
      at += body.write(keyJson, at, 'utf8') - 1;
    }
    if (closing.length === 2) {
      body[at] = 0x22;
      body[at + 1] = 0x7d;
      at += 2;
    } else {
      body.set(closing, at);
      at += closing.length;
    }
  }
  at += body.write(tail, at, 'utf8');
  assert(at === bytes, 'GetRecords JSON: size mismatch');
  return body;
}
