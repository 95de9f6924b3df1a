/**
 * The Kinesis Producer Library's aggregated record format, both ways: many user records packed
 * into one Kinesis record (`aggregate`), and unpacked again (`deaggregate`), as Firehose does for
 * records it reads from a stream and as consumers (the KCL) do.
 *
 * Layout: magic F3 89 9A C2 | protobuf `AggregatedRecord` | MD5 of the protobuf bytes (16).
 *   AggregatedRecord { repeated string partition_key_table = 1;
 *                      repeated string explicit_hash_key_table = 2;
 *                      repeated Record records = 3; }
 *   Record { uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *            bytes data = 3; repeated Tag tags = 4; }
 * A record that lacks the magic, is too short or fails its MD5 is an ordinary record, as the KPL
 * and KCL treat it. A record whose checksum matches but whose protobuf is malformed (indexes out
 * of its tables, truncated fields) is an error: it was meant to be aggregated and is damaged.
 */
import { createHash } from 'node:crypto';

export const kplMagic = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const digestBytes = 16;

export interface UserRecord {
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Buffer;
}

export class AggregationFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AggregationFormatError';
  }
}

/** True when `data` is an intact KPL aggregate (magic and checksum). */
export function isAggregated(data: Uint8Array): boolean {
  if (data.length < kplMagic.length + digestBytes) return false;
  for (let index = 0; index < kplMagic.length; index++) {
    if (data[index] !== kplMagic[index]) return false;
  }
  const body = data.subarray(kplMagic.length, data.length - digestBytes);
  const digest = createHash('md5').update(body).digest();
  return digest.equals(data.subarray(data.length - digestBytes));
}

/**
 * The user records inside one Kinesis record: several for an aggregate, otherwise the record
 * itself (with its own partition key).
 */
export function deaggregate(data: Buffer, partitionKey: string, explicitHashKey?: string): UserRecord[] {
  if (!isAggregated(data)) {
    return [explicitHashKey === undefined ? { partitionKey, data } : { partitionKey, explicitHashKey, data }];
  }
  return parseAggregate(data.subarray(kplMagic.length, data.length - digestBytes));
}

/** One Kinesis record's data holding `records`, with shared partition and hash key tables. */
export function aggregate(records: readonly UserRecord[]): Buffer {
  const partitionKeys = new Map<string, number>();
  const hashKeys = new Map<string, number>();
  const indexOf = (table: Map<string, number>, key: string): number => {
    let index = table.get(key);
    if (index === undefined) {
      index = table.size;
      table.set(key, index);
    }
    return index;
  };
  const writer = new ProtobufWriter();
  const encodedRecords = records.map((record) => {
    const inner = new ProtobufWriter();
    inner.varintField(1, indexOf(partitionKeys, record.partitionKey));
    if (record.explicitHashKey !== undefined) inner.varintField(2, indexOf(hashKeys, record.explicitHashKey));
    inner.bytesField(3, record.data);
    return inner.finish();
  });
  for (const key of partitionKeys.keys()) writer.bytesField(1, Buffer.from(key, 'utf8'));
  for (const key of hashKeys.keys()) writer.bytesField(2, Buffer.from(key, 'utf8'));
  for (const encoded of encodedRecords) writer.bytesField(3, encoded);
  const body = writer.finish();
  return Buffer.concat([kplMagic, body, createHash('md5').update(body).digest()]);
}

function parseAggregate(body: Buffer): UserRecord[] {
  const partitionKeys: string[] = [];
  const hashKeys: string[] = [];
  const rawRecords: Buffer[] = [];
  const reader = new ProtobufReader(body);
  while (!reader.done()) {
    const { field, wireType } = reader.tag();
    if (field === 1 && wireType === 2) partitionKeys.push(reader.bytes().toString('utf8'));
    else if (field === 2 && wireType === 2) hashKeys.push(reader.bytes().toString('utf8'));
    else if (field === 3 && wireType === 2) rawRecords.push(reader.bytes());
    else reader.skip(wireType);
  }
  return rawRecords.map((raw) => {
    let partitionKeyIndex: number | undefined;
    let hashKeyIndex: number | undefined;
    let data: Buffer | undefined;
    const inner = new ProtobufReader(raw);
    while (!inner.done()) {
      const { field, wireType } = inner.tag();
      if (field === 1 && wireType === 0) partitionKeyIndex = inner.varint();
      else if (field === 2 && wireType === 0) hashKeyIndex = inner.varint();
      else if (field === 3 && wireType === 2) data = inner.bytes();
      else inner.skip(wireType);
    }
    const partitionKey = partitionKeyIndex === undefined ? undefined : partitionKeys[partitionKeyIndex];
    if (partitionKey === undefined)
      throw new AggregationFormatError('record without a valid partition key index');
    if (data === undefined) throw new AggregationFormatError('record without data');
    if (hashKeyIndex === undefined) return { partitionKey, data };
    const explicitHashKey = hashKeys[hashKeyIndex];
    if (explicitHashKey === undefined)
      throw new AggregationFormatError('explicit hash key index out of range');
    return { partitionKey, explicitHashKey, data };
  });
}

/** Just enough of the protobuf wire format for the two messages above, bounds-checked. */
class ProtobufReader {
  readonly #buffer: Buffer;
  #position = 0;

  constructor(buffer: Buffer) {
    this.#buffer = buffer;
  }

  done(): boolean {
    return this.#position >= this.#buffer.length;
  }

  tag(): { field: number; wireType: number } {
    const key = this.varint();
    return { field: Math.floor(key / 8), wireType: key % 8 };
  }

  /** A varint up to 2^53 (indexes and lengths; larger values cannot index anything). */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let count = 0; count < 10; count++) {
      if (this.#position >= this.#buffer.length) throw new AggregationFormatError('truncated varint');
      const byte = this.#buffer[this.#position++] as number;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) throw new AggregationFormatError('varint too large');
        return value;
      }
      scale *= 128;
    }
    throw new AggregationFormatError('varint longer than 10 bytes');
  }

  bytes(): Buffer {
    const length = this.varint();
    const end = this.#position + length;
    if (end > this.#buffer.length) throw new AggregationFormatError('truncated length-delimited field');
    const value = this.#buffer.subarray(this.#position, end);
    this.#position = end;
    return value;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.#advance(8);
    else if (wireType === 5) this.#advance(4);
    else throw new AggregationFormatError(`unsupported wire type ${wireType}`);
  }

  #advance(bytes: number): void {
    if (this.#position + bytes > this.#buffer.length)
      throw new AggregationFormatError('truncated fixed field');
    this.#position += bytes;
  }
}

class ProtobufWriter {
  readonly #chunks: Buffer[] = [];

  varintField(field: number, value: number): void {
    this.#chunks.push(varintBytes(field * 8), varintBytes(value));
  }

  bytesField(field: number, value: Uint8Array): void {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.#chunks.push(varintBytes(field * 8 + 2), varintBytes(value.length), bytes);
  }

  finish(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

function varintBytes(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
