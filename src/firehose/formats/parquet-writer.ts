/**
 * Writes an Apache Parquet file from typed rows: row groups of about `blockSizeBytes`, column
 * chunks with an optional dictionary page (PLAIN dictionary, RLE/bit-packed indices; falls back
 * to PLAIN when the dictionary outgrows a page), data pages of about `pageSizeBytes` (V1, or V2
 * with uncompressed levels), RLE/bit-packed definition and repetition levels, UNCOMPRESSED /
 * SNAPPY / GZIP pages, `MaxPaddingBytes` of padding to align a row group to the block size,
 * and the Thrift compact footer. Null counts are recorded; min/max statistics are not.
 */
import { gzipSync } from 'node:zlib';
import { unreachable } from '../../core/assert.js';
import { snappyCompressBlock } from '../compression/snappy-raw.js';
import type { TypedRow } from './json-deserializer.js';
import { buildParquetSchema, PhysicalType, type ParquetSchema } from './parquet-schema.js';
import type { HiveField } from './hive-type.js';
import { plainEncode } from './plain-encoding.js';
import { bitWidthOf, encodeRleHybrid } from './rle-hybrid.js';
import { newColumns, shredRow, type ColumnValues } from './shred.js';
import { binary, bool, encodeStruct, i32, i64, list, struct, type ThriftValue } from './thrift-compact.js';

export type ParquetCompression = 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP';

export interface ParquetWriterOptions {
  readonly blockSizeBytes: number;
  readonly pageSizeBytes: number;
  readonly compression: ParquetCompression;
  readonly enableDictionary: boolean;
  readonly maxPaddingBytes: number;
  readonly writerVersion: 'V1' | 'V2';
}

/** ParquetSerDe's defaults as the Firehose model documents them. */
export const PARQUET_DEFAULTS: ParquetWriterOptions = {
  blockSizeBytes: 256 * 1024 * 1024,
  pageSizeBytes: 1024 * 1024,
  compression: 'SNAPPY',
  enableDictionary: true,
  maxPaddingBytes: 0,
  writerVersion: 'V1',
};

const MAGIC = Buffer.from('PAR1', 'ascii');
const CREATED_BY = 'tributary version 0.1.0 (build parquet-writer)';

const Encoding = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, RLE_DICTIONARY: 8 } as const;
const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;
const CODECS: Record<ParquetCompression, number> = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2 };

/**
 * Writes one Parquet file, row by row: rows are shredded into the current row group's columns as
 * they come, and a row group is encoded once its records pass `blockSizeBytes` of input, so only
 * one row group is held unencoded.
 */
export class ParquetWriter {
  readonly #schema: ParquetSchema;
  readonly #options: ParquetWriterOptions;
  readonly #parts: Buffer[] = [MAGIC];
  #offset = MAGIC.length;
  readonly #rowGroups: ThriftValue[] = [];
  #totalRows = 0;
  #columns: ColumnValues[];
  #groupRows = 0;
  #groupInputBytes = 0;

  constructor(columns: readonly HiveField[], options: ParquetWriterOptions) {
    this.#schema = buildParquetSchema(columns);
    this.#options = options;
    this.#columns = newColumns(
      this.#schema.leaves,
      options.enableDictionary ? options.pageSizeBytes : undefined,
    );
  }

  /** Adds the rows of one input record of `inputBytes` (a record never straddles row groups). */
  appendRecord(rows: readonly TypedRow[], inputBytes: number): void {
    if (this.#groupRows > 0 && this.#groupInputBytes + inputBytes > this.#options.blockSizeBytes)
      this.#flushRowGroup();
    for (const row of rows) shredRow(this.#schema.columns, this.#columns, row);
    this.#groupRows += rows.length;
    this.#groupInputBytes += inputBytes;
  }

  /** The whole file. An empty file has no row group. */
  finish(): Buffer {
    if (this.#groupRows > 0) this.#flushRowGroup();
    const footer = encodeStruct([
      [1, i32(1)],
      [2, list('struct', this.#schema.elements)],
      [3, i64(this.#totalRows)],
      [4, list('struct', this.#rowGroups)],
      [6, binary(CREATED_BY)],
    ]);
    const footerLength = Buffer.alloc(4);
    footerLength.writeUInt32LE(footer.length, 0);
    this.#parts.push(footer, footerLength, MAGIC);
    return Buffer.concat(this.#parts);
  }

  #flushRowGroup(): void {
    const rows = this.#groupRows;
    let group = encodeRowGroup(this.#columns, rows, this.#options, this.#offset);
    const padding = paddingBefore(this.#offset, group.bytes, this.#options);
    if (padding > 0) {
      this.#parts.push(Buffer.alloc(padding));
      this.#offset += padding;
      // Offsets are written into the chunk metadata: encode again at the aligned offset.
      group = encodeRowGroup(this.#columns, rows, this.#options, this.#offset);
    }
    this.#parts.push(...group.chunks);
    this.#rowGroups.push(group.metadata);
    this.#offset += group.bytes;
    this.#totalRows += rows;
    this.#columns = newColumns(
      this.#schema.leaves,
      this.#options.enableDictionary ? this.#options.pageSizeBytes : undefined,
    );
    this.#groupRows = 0;
    this.#groupInputBytes = 0;
  }
}

/** parquet-mr's rule: pad to the next block boundary when the rest of the block is small enough. */
function paddingBefore(offset: number, groupBytes: number, options: ParquetWriterOptions): number {
  if (options.maxPaddingBytes <= 0) return 0;
  const remaining = options.blockSizeBytes - (offset % options.blockSizeBytes);
  return remaining < groupBytes && remaining <= options.maxPaddingBytes ? remaining : 0;
}

interface EncodedRowGroup {
  readonly chunks: Buffer[];
  readonly bytes: number;
  readonly metadata: ThriftValue;
}

function encodeRowGroup(
  columns: readonly ColumnValues[],
  rowCount: number,
  options: ParquetWriterOptions,
  startOffset: number,
): EncodedRowGroup {
  const chunks: Buffer[] = [];
  const columnChunks: ThriftValue[] = [];
  let offset = startOffset;
  let uncompressedTotal = 0;
  for (const column of columns) {
    const chunk = encodeColumnChunk(column, options, offset);
    chunks.push(...chunk.parts);
    columnChunks.push(chunk.metadata);
    offset += chunk.compressedBytes;
    uncompressedTotal += chunk.uncompressedBytes;
  }
  const bytes = offset - startOffset;
  const metadata = struct([
    [1, list('struct', columnChunks)],
    [2, i64(uncompressedTotal)],
    [3, i64(rowCount)],
    [5, i64(startOffset)],
    [6, i64(bytes)],
  ]);
  return { chunks, bytes, metadata };
}

interface EncodedChunk {
  readonly parts: Buffer[];
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly metadata: ThriftValue;
}

function encodeColumnChunk(
  column: ColumnValues,
  options: ParquetWriterOptions,
  startOffset: number,
): EncodedChunk {
  const { leaf } = column;
  const parts: Buffer[] = [];
  let offset = startOffset;
  let uncompressedBytes = 0;
  const addPage = (header: Buffer, body: Buffer, uncompressedBody: number) => {
    parts.push(header, body);
    offset += header.length + body.length;
    uncompressedBytes += header.length + uncompressedBody;
  };

  const dictionary = column.dictionary;
  let dictionaryOffset: number | undefined;
  if (dictionary !== undefined) {
    dictionaryOffset = offset;
    const plain = plainEncode(leaf.physicalType, leaf.typeLength, dictionary.values);
    const body = compress(plain, options.compression);
    const header = encodeStruct([
      [1, i32(PageType.DICTIONARY_PAGE)],
      [2, i32(plain.length)],
      [3, i32(body.length)],
      [
        7,
        struct([
          [1, i32(dictionary.values.length)],
          [2, i32(options.writerVersion === 'V1' ? Encoding.PLAIN_DICTIONARY : Encoding.PLAIN)],
        ]),
      ],
    ]);
    addPage(header, body, plain.length);
  }

  const valueEncoding =
    dictionary === undefined
      ? Encoding.PLAIN
      : options.writerVersion === 'V1'
        ? Encoding.PLAIN_DICTIONARY
        : Encoding.RLE_DICTIONARY;
  const dataOffset = offset;
  for (const page of pageRanges(column, options.pageSizeBytes, dictionary !== undefined)) {
    const values = dictionary === undefined ? column.plainValues.slice(page.valueStart, page.valueEnd) : [];
    const valueBytes =
      dictionary === undefined
        ? plainEncode(leaf.physicalType, leaf.typeLength, values)
        : encodeIndices(
            dictionary.indices.subarray(page.valueStart, page.valueEnd),
            dictionary.values.length,
          );
    const definitionLevels =
      leaf.maxDefinitionLevel > 0
        ? encodeRleHybrid(
            column.definitionLevels.subarray(page.start, page.end),
            page.end - page.start,
            bitWidthOf(leaf.maxDefinitionLevel),
          )
        : Buffer.alloc(0);
    const repetitionLevels =
      column.repetitionLevels !== undefined
        ? encodeRleHybrid(
            column.repetitionLevels.subarray(page.start, page.end),
            page.end - page.start,
            bitWidthOf(leaf.maxRepetitionLevel),
          )
        : Buffer.alloc(0);
    const entryCount = page.end - page.start;
    const nullCount = entryCount - (page.valueEnd - page.valueStart);
    if (options.writerVersion === 'V1') {
      const plainBody = Buffer.concat([
        ...(leaf.maxRepetitionLevel > 0 ? [lengthPrefix(repetitionLevels), repetitionLevels] : []),
        ...(leaf.maxDefinitionLevel > 0 ? [lengthPrefix(definitionLevels), definitionLevels] : []),
        valueBytes,
      ]);
      const body = compress(plainBody, options.compression);
      const header = encodeStruct([
        [1, i32(PageType.DATA_PAGE)],
        [2, i32(plainBody.length)],
        [3, i32(body.length)],
        [
          5,
          struct([
            [1, i32(entryCount)],
            [2, i32(valueEncoding)],
            [3, i32(Encoding.RLE)],
            [4, i32(Encoding.RLE)],
            [5, struct([[3, i64(nullCount)]])],
          ]),
        ],
      ]);
      addPage(header, body, plainBody.length);
    } else {
      const compressedValues = compress(valueBytes, options.compression);
      const levels = repetitionLevels.length + definitionLevels.length;
      const header = encodeStruct([
        [1, i32(PageType.DATA_PAGE_V2)],
        [2, i32(levels + valueBytes.length)],
        [3, i32(levels + compressedValues.length)],
        [
          8,
          struct([
            [1, i32(entryCount)],
            [2, i32(nullCount)],
            [3, i32(page.rows)],
            [4, i32(valueEncoding)],
            [5, i32(definitionLevels.length)],
            [6, i32(repetitionLevels.length)],
            [7, bool(options.compression !== 'UNCOMPRESSED')],
            [8, struct([[3, i64(nullCount)]])],
          ]),
        ],
      ]);
      const body = Buffer.concat([repetitionLevels, definitionLevels, compressedValues]);
      addPage(header, body, levels + valueBytes.length);
    }
  }

  const encodings =
    dictionary === undefined ? [Encoding.PLAIN, Encoding.RLE] : [valueEncoding, Encoding.PLAIN, Encoding.RLE];
  const compressedBytes = offset - startOffset;
  const metadata = struct([
    [2, i64(startOffset)],
    [
      3,
      struct([
        [1, i32(leaf.physicalType)],
        [2, list('i32', [...new Set(encodings)].map(i32))],
        [
          3,
          list(
            'binary',
            leaf.path.map((name) => binary(name)),
          ),
        ],
        [4, i32(CODECS[options.compression])],
        [5, i64(column.entryCount)],
        [6, i64(uncompressedBytes)],
        [7, i64(compressedBytes)],
        [9, i64(dataOffset)],
        [11, dictionaryOffset === undefined ? undefined : i64(dictionaryOffset)],
        [12, struct([[3, i64(column.nullCount)]])],
      ]),
    ],
  ]);
  return { parts, compressedBytes, uncompressedBytes, metadata };
}

interface PageRange {
  /** Level entries [start, end). */
  readonly start: number;
  readonly end: number;
  /** Non-null values [valueStart, valueEnd). */
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly rows: number;
}

/**
 * Cuts a column chunk into pages of about `pageSizeBytes`, at row boundaries (repetition level 0)
 * so that V2 pages hold whole rows.
 */
function pageRanges(column: ColumnValues, pageSizeBytes: number, dictionary: boolean): PageRange[] {
  const entries = column.entryCount;
  const averageBytes = dictionary
    ? 2
    : Math.max(1, estimatePlainBytes(column) / Math.max(1, column.valueCount));
  const valuesPerPage = Math.max(1, Math.floor(pageSizeBytes / averageBytes));
  const maxDefinition = column.leaf.maxDefinitionLevel;
  const { repetitionLevels, definitionLevels } = column;
  const pages: PageRange[] = [];
  let start = 0;
  let valueStart = 0;
  let valueCount = 0;
  let rows = 0;
  for (let at = 0; at < entries; at++) {
    if (repetitionLevels === undefined || repetitionLevels[at] === 0) {
      if (at > start && valueCount >= valuesPerPage) {
        pages.push({ start, end: at, valueStart, valueEnd: valueStart + valueCount, rows });
        start = at;
        valueStart += valueCount;
        valueCount = 0;
        rows = 0;
      }
      rows++;
    }
    if (definitionLevels[at] === maxDefinition) valueCount++;
  }
  if (entries > start || pages.length === 0) {
    pages.push({ start, end: entries, valueStart, valueEnd: valueStart + valueCount, rows });
  }
  return pages;
}

function estimatePlainBytes(column: ColumnValues): number {
  const { physicalType, typeLength } = column.leaf;
  const count = column.valueCount;
  switch (physicalType) {
    case PhysicalType.BOOLEAN:
      return count / 8;
    case PhysicalType.INT32:
    case PhysicalType.FLOAT:
      return count * 4;
    case PhysicalType.INT64:
    case PhysicalType.DOUBLE:
      return count * 8;
    case PhysicalType.INT96:
      return count * 12;
    case PhysicalType.FIXED_LEN_BYTE_ARRAY:
      return count * typeLength;
    case PhysicalType.BYTE_ARRAY: {
      let bytes = 0;
      for (const value of column.plainValues)
        bytes += 4 + (typeof value === 'string' ? value.length : (value as Buffer).length);
      return bytes;
    }
    default:
      return unreachable(physicalType, 'physical type');
  }
}

function encodeIndices(indices: Uint32Array, dictionarySize: number): Buffer {
  const bitWidth = bitWidthOf(Math.max(0, dictionarySize - 1));
  return Buffer.concat([Buffer.from([bitWidth]), encodeRleHybrid(indices, indices.length, bitWidth)]);
}

function lengthPrefix(bytes: Buffer): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(bytes.length, 0);
  return out;
}

function compress(bytes: Buffer, compression: ParquetCompression): Buffer {
  switch (compression) {
    case 'UNCOMPRESSED':
      return bytes;
    case 'SNAPPY':
      return snappyCompressBlock(bytes);
    case 'GZIP':
      return gzipSync(bytes);
    default:
      return unreachable(compression, 'parquet compression');
  }
}
