/**
 * One leaf column of the row group being filled: definition and repetition levels in growable
 * byte arrays, and the non-null values, dictionary-encoded as they arrive (a Map from value to
 * index) until the dictionary's PLAIN size passes its limit — parquet-mr's fallback — after which
 * they are kept as they are. One pass, no second walk over the values to build the dictionary.
 * Like parquet-mr, a dictionary that does not pay for itself (dictionary plus indices no smaller
 * than the PLAIN values) is dropped once a first page's worth of values has been seen.
 */
import type { TypedValue } from './json-deserializer.js';
import { PhysicalType, type LeafColumn } from './parquet-schema.js';

const INITIAL_CAPACITY = 1024;
/** Values after which the dictionary must be paying for itself. */
const DICTIONARY_CHECK_VALUES = 10_000;

export interface ColumnDictionary {
  readonly values: readonly TypedValue[];
  /** Per non-null value, its dictionary index. */
  readonly indices: Uint32Array;
}

export class ColumnValues {
  readonly leaf: LeafColumn;
  nullCount = 0;
  #definitions = new Uint8Array(INITIAL_CAPACITY);
  #repetitions: Uint8Array | undefined;
  #entries = 0;
  #valueCount = 0;
  /** Values kept as they are (no dictionary, or after the fallback). */
  #values: TypedValue[] = [];
  #lookup: Map<string | number | bigint | boolean, number> | undefined;
  #dictionaryValues: TypedValue[] = [];
  #indices = new Uint32Array(0);
  #dictionaryBytes = 0;
  #plainBytes = 0;
  readonly #dictionaryBytesMax: number;
  readonly #fixedBytes: number;

  /** `dictionaryBytesMax` undefined: no dictionary. */
  constructor(leaf: LeafColumn, dictionaryBytesMax: number | undefined) {
    this.leaf = leaf;
    this.#repetitions = leaf.maxRepetitionLevel > 0 ? new Uint8Array(INITIAL_CAPACITY) : undefined;
    const dictionary = dictionaryBytesMax !== undefined && leaf.physicalType !== PhysicalType.BOOLEAN;
    this.#dictionaryBytesMax = dictionaryBytesMax ?? 0;
    if (dictionary) {
      this.#lookup = new Map();
      this.#indices = new Uint32Array(INITIAL_CAPACITY);
    }
    this.#fixedBytes =
      leaf.physicalType === PhysicalType.FIXED_LEN_BYTE_ARRAY
        ? leaf.typeLength
        : leaf.physicalType === PhysicalType.INT96
          ? 12
          : 8;
  }

  get entryCount(): number {
    return this.#entries;
  }
  get valueCount(): number {
    return this.#valueCount;
  }
  get definitionLevels(): Uint8Array {
    return this.#definitions.subarray(0, this.#entries);
  }
  /** Undefined for a column that never repeats (all levels 0). */
  get repetitionLevels(): Uint8Array | undefined {
    return this.#repetitions?.subarray(0, this.#entries);
  }
  get dictionary(): ColumnDictionary | undefined {
    if (this.#lookup === undefined || this.#valueCount === 0) return undefined;
    return { values: this.#dictionaryValues, indices: this.#indices.subarray(0, this.#valueCount) };
  }
  /** The values, when there is no dictionary. */
  get plainValues(): readonly TypedValue[] {
    return this.#values;
  }

  pushNull(definitionLevel: number, repetitionLevel: number): void {
    this.#level(definitionLevel, repetitionLevel);
    this.nullCount++;
  }

  pushValue(definitionLevel: number, repetitionLevel: number, value: TypedValue): void {
    this.#level(definitionLevel, repetitionLevel);
    const lookup = this.#lookup;
    if (lookup === undefined) {
      this.#values.push(value);
      this.#valueCount++;
      return;
    }
    let key: string | number | bigint | boolean;
    let bytes: number;
    if (typeof value === 'string') {
      key = value;
      bytes = 4 + value.length;
    } else if (typeof value === 'object' && value !== null && Buffer.isBuffer(value)) {
      key = `b${value.toString('latin1')}`;
      bytes = 4 + value.length;
    } else {
      key = value as number | bigint | boolean;
      bytes = this.#fixedBytes;
    }
    this.#plainBytes += bytes;
    let index = lookup.get(key);
    if (index === undefined) {
      index = this.#dictionaryValues.length;
      lookup.set(key, index);
      this.#dictionaryValues.push(value);
      this.#dictionaryBytes += bytes;
      if (this.#dictionaryBytes > this.#dictionaryBytesMax) {
        this.#fallBackToPlain();
        this.#values.push(value);
        this.#valueCount++;
        return;
      }
    }
    if (this.#valueCount === DICTIONARY_CHECK_VALUES && !this.#dictionaryPays()) {
      this.#fallBackToPlain();
      this.#values.push(value);
      this.#valueCount++;
      return;
    }
    if (this.#valueCount === this.#indices.length) this.#indices = grow(this.#indices);
    this.#indices[this.#valueCount++] = index;
  }

  #level(definitionLevel: number, repetitionLevel: number): void {
    if (this.#entries === this.#definitions.length) {
      this.#definitions = grow(this.#definitions);
      if (this.#repetitions !== undefined) this.#repetitions = grow(this.#repetitions);
    }
    this.#definitions[this.#entries] = definitionLevel;
    if (this.#repetitions !== undefined) this.#repetitions[this.#entries] = repetitionLevel;
    this.#entries++;
  }

  #dictionaryPays(): boolean {
    const indexBits = 32 - Math.clz32(Math.max(1, this.#dictionaryValues.length - 1));
    return this.#dictionaryBytes + (this.#valueCount * indexBits) / 8 < this.#plainBytes;
  }

  #fallBackToPlain(): void {
    const values = this.#dictionaryValues;
    this.#values = Array.from(
      this.#indices.subarray(0, this.#valueCount),
      (index) => values[index] as TypedValue,
    );
    this.#lookup = undefined;
    this.#dictionaryValues = [];
    this.#indices = new Uint32Array(0);
  }
}

function grow<T extends Uint8Array | Uint32Array>(array: T): T {
  const next = new (array.constructor as new (length: number) => T)(array.length * 2);
  next.set(array);
  return next;
}
