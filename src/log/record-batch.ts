/**
 * Records read from a log, held as columns of positions into a few source buffers instead of one
 * object (and one Buffer view, one key string) per record: a read of 10,000 records costs a
 * handful of typed arrays, and a caller that only copies bytes onward (GetRecords' JSON writer)
 * never makes a per-record object at all. `toRecords` turns a batch into `LogRecord`s for callers
 * that want them.
 *
 * Record `i` has offset `firstOffset + i` (reads are dense), its partition key in UTF-8 at
 * `keyStart(i)` of `source(i)` (`keyBytes(i)` long) and its data right after the key, up to
 * `dataEnd(i)` — the layout of a log frame's tail, so a file read points into its chunks as they
 * are. Sources are views the batch does not own: callers must not modify them.
 */
import { assert } from '../core/assert.js';
import type { LogRecord } from './log-store.js';

const capacityMin = 64;

export class RecordBatch {
  readonly firstOffset: number;
  #count = 0;
  readonly #sources: Buffer[] = [];
  #sourceIndexes: Uint32Array;
  #keyStarts: Uint32Array;
  #keyBytes: Uint16Array;
  #dataEnds: Uint32Array;
  #timestampsMs: Float64Array;
  #releaseHooks: (() => void)[] | undefined;
  #released = false;

  /** An empty batch whose first record (if any) will be `firstOffset`; `capacityHint` sizes its columns. */
  constructor(firstOffset: number, capacityHint = capacityMin) {
    const capacity = Math.max(1, Math.min(capacityHint, 1 << 16));
    this.firstOffset = firstOffset;
    this.#sourceIndexes = new Uint32Array(capacity);
    this.#keyStarts = new Uint32Array(capacity);
    this.#keyBytes = new Uint16Array(capacity);
    this.#dataEnds = new Uint32Array(capacity);
    this.#timestampsMs = new Float64Array(capacity);
  }

  /** A batch of `records` (consecutive offsets), their keys and data copied into one buffer. */
  static fromRecords(records: readonly LogRecord[], firstOffset = records[0]?.offset ?? 0): RecordBatch {
    const batch = new RecordBatch(firstOffset, records.length);
    let bytes = 0;
    for (const record of records)
      bytes += Buffer.byteLength(record.partitionKey, 'utf8') + record.data.length;
    const source = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (const record of records) {
      assert(record.offset === firstOffset + batch.count, 'batch records must have consecutive offsets');
      const keyBytes = source.write(record.partitionKey, at, 'utf8');
      source.set(record.data, at + keyBytes);
      const end = at + keyBytes + record.data.length;
      batch.push(source, at, keyBytes, end, record.timestampMs);
      at = end;
    }
    return batch;
  }

  get count(): number {
    return this.#count;
  }

  /** The offset after the last record. */
  get endOffset(): number {
    return this.firstOffset + this.#count;
  }

  /** Appends the next record: key at `keyStart` of `source`, `keyBytes` long, data after it to `dataEnd`. */
  push(source: Buffer, keyStart: number, keyBytes: number, dataEnd: number, timestampMs: number): void {
    const index = this.#count;
    if (index === this.#keyStarts.length) this.#grow();
    const sources = this.#sources;
    let sourceIndex = sources.length - 1;
    if (sourceIndex < 0 || sources[sourceIndex] !== source) {
      sources.push(source);
      sourceIndex++;
    }
    this.#sourceIndexes[index] = sourceIndex;
    this.#keyStarts[index] = keyStart;
    this.#keyBytes[index] = keyBytes;
    this.#dataEnds[index] = dataEnd;
    this.#timestampsMs[index] = timestampMs;
    this.#count = index + 1;
  }

  #grow(): void {
    const capacity = this.#keyStarts.length * 2;
    const grown = <T extends Uint32Array | Uint16Array | Float64Array>(
      old: T,
      make: (size: number) => T,
    ): T => {
      const copy = make(capacity);
      copy.set(old);
      return copy;
    };
    this.#sourceIndexes = grown(this.#sourceIndexes, (size) => new Uint32Array(size));
    this.#keyStarts = grown(this.#keyStarts, (size) => new Uint32Array(size));
    this.#keyBytes = grown(this.#keyBytes, (size) => new Uint16Array(size));
    this.#dataEnds = grown(this.#dataEnds, (size) => new Uint32Array(size));
    this.#timestampsMs = grown(this.#timestampsMs, (size) => new Float64Array(size));
  }

  source(index: number): Buffer {
    assert(!this.#released, 'record batch used after release');
    return this.#sources[this.#sourceIndexes[index]!]!;
  }

  /** Runs `hook` at `release` (a store hands chunks back to its pool). */
  onRelease(hook: () => void): void {
    (this.#releaseHooks ??= []).push(hook);
  }

  /**
   * Says that nothing points into the batch's sources any more (no view from `data` or
   * `toRecords` is kept): the store may reuse its read chunks. The batch is unusable after.
   */
  release(): void {
    assert(!this.#released, 'record batch released twice');
    this.#released = true;
    this.#sources.length = 0;
    for (const hook of this.#releaseHooks ?? []) hook();
  }

  keyStart(index: number): number {
    return this.#keyStarts[index]!;
  }

  keyBytes(index: number): number {
    return this.#keyBytes[index]!;
  }

  dataStart(index: number): number {
    return this.#keyStarts[index]! + this.#keyBytes[index]!;
  }

  dataEnd(index: number): number {
    return this.#dataEnds[index]!;
  }

  timestampMs(index: number): number {
    return this.#timestampsMs[index]!;
  }

  /** Key plus data bytes of record `index`: the measure reads are bounded by (record-bytes.ts). */
  recordBytes(index: number): number {
    return this.#dataEnds[index]! - this.#keyStarts[index]!;
  }

  partitionKey(index: number): string {
    const start = this.#keyStarts[index]!;
    return this.source(index).toString('utf8', start, start + this.#keyBytes[index]!);
  }

  /** Record `index`'s data, a view into its source. */
  data(index: number): Buffer {
    return this.source(index).subarray(this.dataStart(index), this.#dataEnds[index]!);
  }

  /** The index of the first record at or after `timestampMs` (timestamps never decrease), or `count`. */
  firstIndexAtOrAfter(timestampMs: number): number {
    let low = 0;
    let high = this.#count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#timestampsMs[middle]! < timestampMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Records `[from, to)` as `LogRecord`s (data as views). */
  toRecords(from = 0, to = this.#count): LogRecord[] {
    const records = new Array<LogRecord>(Math.max(0, to - from));
    for (let index = from; index < to; index++) {
      records[index - from] = {
        offset: this.firstOffset + index,
        timestampMs: this.#timestampsMs[index]!,
        partitionKey: this.partitionKey(index),
        data: this.data(index),
      };
    }
    return records;
  }
}
