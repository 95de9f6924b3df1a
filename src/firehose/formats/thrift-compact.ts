/**
 * A Thrift compact-protocol encoder, just enough for Parquet's footer and page headers: structs
 * described as lists of `[fieldId, value]` pairs, with i32/i64 zigzag varints, binaries, bools
 * folded into field headers, and lists. Field ids must ascend within a struct.
 */
import { assert } from '../../core/assert.js';

export type ThriftValue =
  | { readonly kind: 'i32'; readonly value: number }
  | { readonly kind: 'i64'; readonly value: number | bigint }
  | { readonly kind: 'binary'; readonly value: string | Uint8Array }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'struct'; readonly fields: ThriftFields }
  | { readonly kind: 'list'; readonly element: ThriftElementKind; readonly items: readonly ThriftValue[] };

/** Undefined values are optional fields left out. */
export type ThriftFields = readonly (readonly [number, ThriftValue | undefined])[];
export type ThriftElementKind = 'i32' | 'i64' | 'binary' | 'struct';

export const i32 = (value: number): ThriftValue => ({ kind: 'i32', value });
export const i64 = (value: number | bigint): ThriftValue => ({ kind: 'i64', value });
export const binary = (value: string | Uint8Array): ThriftValue => ({ kind: 'binary', value });
export const bool = (value: boolean): ThriftValue => ({ kind: 'bool', value });
export const struct = (fields: ThriftFields): ThriftValue => ({ kind: 'struct', fields });
export const list = (element: ThriftElementKind, items: readonly ThriftValue[]): ThriftValue => ({
  kind: 'list',
  element,
  items,
});

const TYPE_TRUE = 1;
const TYPE_FALSE = 2;
const TYPE_I32 = 5;
const TYPE_I64 = 6;
const TYPE_BINARY = 8;
const TYPE_LIST = 9;
const TYPE_STRUCT = 12;

const ELEMENT_TYPES: Record<ThriftElementKind, number> = {
  i32: TYPE_I32,
  i64: TYPE_I64,
  binary: TYPE_BINARY,
  struct: TYPE_STRUCT,
};

export function encodeStruct(fields: ThriftFields): Buffer {
  const out: number[] = [];
  const chunks: Buffer[] = [];
  const writer = new CompactWriter(out, chunks);
  writer.struct(fields);
  return writer.finish();
}

class CompactWriter {
  #bytes: number[];
  #chunks: Buffer[];
  constructor(bytes: number[], chunks: Buffer[]) {
    this.#bytes = bytes;
    this.#chunks = chunks;
  }

  finish(): Buffer {
    this.#flush();
    return Buffer.concat(this.#chunks);
  }

  struct(fields: ThriftFields): void {
    let lastId = 0;
    for (const [id, value] of fields) {
      if (value === undefined) continue;
      assert(id > lastId, 'thrift field ids must ascend');
      const type = value.kind === 'bool' ? (value.value ? TYPE_TRUE : TYPE_FALSE) : typeOf(value);
      const delta = id - lastId;
      if (delta <= 15) this.#bytes.push((delta << 4) | type);
      else {
        this.#bytes.push(type);
        this.#zigzag32(id);
      }
      lastId = id;
      if (value.kind !== 'bool') this.#value(value);
    }
    this.#bytes.push(0);
  }

  #value(value: ThriftValue): void {
    switch (value.kind) {
      case 'i32':
        this.#zigzag32(value.value);
        return;
      case 'i64':
        this.#zigzag64(BigInt(value.value));
        return;
      case 'binary': {
        const bytes = typeof value.value === 'string' ? Buffer.from(value.value, 'utf8') : value.value;
        this.#varint(bytes.length);
        this.#flush();
        this.#chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        return;
      }
      case 'bool':
        this.#bytes.push(value.value ? TYPE_TRUE : TYPE_FALSE);
        return;
      case 'struct':
        this.struct(value.fields);
        return;
      case 'list': {
        const elementType = ELEMENT_TYPES[value.element];
        if (value.items.length < 15) this.#bytes.push((value.items.length << 4) | elementType);
        else {
          this.#bytes.push(0xf0 | elementType);
          this.#varint(value.items.length);
        }
        for (const item of value.items) {
          assert(item.kind === value.element, 'thrift list items must share the element type');
          this.#value(item);
        }
        return;
      }
    }
  }

  #flush(): void {
    if (this.#bytes.length === 0) return;
    this.#chunks.push(Buffer.from(this.#bytes));
    this.#bytes.length = 0;
  }

  #varint(value: number): void {
    assert(value >= 0 && Number.isSafeInteger(value), 'varint out of range');
    while (value >= 0x80) {
      this.#bytes.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    this.#bytes.push(value);
  }

  #zigzag32(value: number): void {
    this.#varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  #zigzag64(value: bigint): void {
    let zigzag = value >= 0n ? value << 1n : (-value << 1n) - 1n;
    while (zigzag >= 0x80n) {
      this.#bytes.push(Number(zigzag & 0x7fn) | 0x80);
      zigzag >>= 7n;
    }
    this.#bytes.push(Number(zigzag));
  }
}

function typeOf(value: ThriftValue): number {
  switch (value.kind) {
    case 'i32':
      return TYPE_I32;
    case 'i64':
      return TYPE_I64;
    case 'binary':
      return TYPE_BINARY;
    case 'bool':
      return TYPE_TRUE;
    case 'struct':
      return TYPE_STRUCT;
    case 'list':
      return TYPE_LIST;
  }
}
