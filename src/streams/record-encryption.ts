/**
 * Encryption at rest of Kinesis records (StartStreamEncryption). While a stream is encrypted,
 * each record is stored sealed with AES-256-GCM under the stream's current data key; the data
 * key is kept only wrapped by a keyring master key (keyring.ts). Records written before
 * encryption started, or after it stopped, stay in the clear; both kinds are read back alike.
 *
 * A sealed record is stored with an empty partition key (real ones are 1 to 256 characters, so
 * the empty key marks it) and this data, AAD = the stream id (a record cannot be moved to
 * another stream):
 *   0x01 | epoch (u32 BE, which data key) | nonce (12) | ciphertext | tag (16)
 * where the plaintext is: partition key length (u16 BE) | partition key (UTF-8) | data.
 * So neither data nor partition key appears in the segment files.
 */
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import type { AppendInput, LogRecord } from '../log/log-store.js';
import { locateKey, type Keyring } from './keyring.js';
import type { DataKeyRecord, StreamRecord } from './stream-model.js';

const formatVersion = 1;
const nonceOffset = 5;
const nonceBytes = 12;
const headerBytes = nonceOffset + nonceBytes;
const tagBytes = 16;
/** Cached unwrapped data keys; beyond this the cache starts over (keys are re-unwrapped). */
const cachedKeysMax = 4096;

export interface WriteKey {
  readonly epoch: number;
  readonly key: Buffer;
  readonly aad: Buffer;
}

export class RecordEncryption {
  readonly keyring: Keyring;
  readonly #keys = new Map<string, Buffer>();

  constructor(keyring: Keyring) {
    this.keyring = keyring;
  }

  /** The key new records of the stream are sealed with, or undefined when it is not encrypted. */
  async writeKey(record: StreamRecord): Promise<WriteKey | undefined> {
    if (record.encryptionType !== 'KMS') return undefined;
    const current = record.dataKeys?.[record.dataKeys.length - 1];
    if (current === undefined || current.retiredAtMs !== undefined) {
      throw new Error(`stream ${record.name} is encrypted but has no current data key`);
    }
    return { epoch: current.epoch, key: await this.#dataKey(record, current), aad: aadOf(record) };
  }

  /** The stored form of one record. */
  seal(writeKey: WriteKey, partitionKey: string, data: Uint8Array): AppendInput {
    const partitionKeyBytes = Buffer.byteLength(partitionKey, 'utf8');
    const plain = Buffer.allocUnsafe(2 + partitionKeyBytes + data.length);
    plain.writeUInt16BE(partitionKeyBytes, 0);
    plain.write(partitionKey, 2, 'utf8');
    plain.set(data, 2 + partitionKeyBytes);
    const sealed = Buffer.allocUnsafe(headerBytes + plain.length + tagBytes);
    sealed[0] = formatVersion;
    sealed.writeUInt32BE(writeKey.epoch, 1);
    randomFillSync(sealed, nonceOffset, nonceBytes);
    const cipher = createCipheriv('aes-256-gcm', writeKey.key, sealed.subarray(nonceOffset, headerBytes));
    cipher.setAAD(writeKey.aad);
    const body = cipher.update(plain);
    body.copy(sealed, headerBytes);
    cipher.final();
    cipher.getAuthTag().copy(sealed, headerBytes + body.length);
    return { partitionKey: '', data: sealed };
  }

  /**
   * Readers' keys for the sealed records among `entries`, by epoch. A key no longer listed (its
   * records aged out of retention before it was dropped) is absent; such records are skipped.
   */
  async readKeys(record: StreamRecord, entries: readonly LogRecord[]): Promise<Map<number, Buffer>> {
    const keys = new Map<number, Buffer>();
    for (const entry of entries) {
      if (!isSealed(entry)) continue;
      const epoch = epochOf(entry.data);
      if (epoch === undefined || keys.has(epoch)) continue;
      const listed = record.dataKeys?.find((dataKey) => dataKey.epoch === epoch);
      if (listed !== undefined) keys.set(epoch, await this.#dataKey(record, listed));
    }
    return keys;
  }

  /**
   * The record as written, or undefined when its key is gone. Throws `SealedRecordError` when
   * the record fails authentication (a damaged or foreign record: never returned as data).
   */
  open(
    record: StreamRecord,
    keys: ReadonlyMap<number, Buffer>,
    entry: LogRecord,
  ): { partitionKey: string; data: Buffer } | undefined {
    const sealed = entry.data;
    const epoch = epochOf(sealed);
    if (epoch === undefined || sealed.length < headerBytes + 2 + tagBytes) {
      throw new SealedRecordError(`sealed record at offset ${entry.offset} is malformed`);
    }
    const key = keys.get(epoch);
    if (key === undefined) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(nonceOffset, headerBytes));
    decipher.setAAD(aadOf(record));
    decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(sealed.subarray(headerBytes, sealed.length - tagBytes)),
        decipher.final(),
      ]);
    } catch (error) {
      throw new SealedRecordError(`sealed record at offset ${entry.offset} failed authentication`, error);
    }
    const partitionKeyBytes = plain.readUInt16BE(0);
    return {
      partitionKey: plain.toString('utf8', 2, 2 + partitionKeyBytes),
      data: plain.subarray(2 + partitionKeyBytes),
    };
  }

  async #dataKey(record: StreamRecord, dataKey: DataKeyRecord): Promise<Buffer> {
    const cacheKey = `${record.streamId}/${dataKey.epoch}`;
    const cached = this.#keys.get(cacheKey);
    if (cached !== undefined) return cached;
    const location = locateKey(dataKey.keyId, record.accountId, record.region);
    const key = await this.keyring.unwrapDataKey(location, dataKey.wrapped, record.streamId);
    if (this.#keys.size >= cachedKeysMax) this.#keys.clear();
    this.#keys.set(cacheKey, key);
    return key;
  }
}

/** A sealed record in the log carries the empty partition key, which no put can carry. */
export const isSealed = (entry: Pick<LogRecord, 'partitionKey'>): boolean => entry.partitionKey === '';

function epochOf(sealed: Buffer): number | undefined {
  if (sealed.length < headerBytes || sealed[0] !== formatVersion) return undefined;
  return sealed.readUInt32BE(1);
}

function aadOf(record: Pick<StreamRecord, 'streamId'>): Buffer {
  return Buffer.from(record.streamId, 'utf8');
}

export class SealedRecordError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'SealedRecordError';
  }
}
