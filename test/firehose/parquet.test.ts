/**
 * JSON → Parquet conversion, read back with two independent readers: hyparquet (pure JS) and
 * DuckDB (@duckdb/node-api, the C++ reader). Every Hive type, nested types, all compression
 * codecs, both writer versions, with and without dictionaries; pages and row groups; the
 * records that fail conversion; the OpenX and Hive SerDe options.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import {
  conversionOptions,
  convertToParquet,
  glueColumnsToHive,
  type ConversionOptions,
  type GlueColumn,
} from '../../src/firehose/formats/convert-to-parquet.js';
import { PARQUET_DEFAULTS } from '../../src/firehose/formats/parquet-writer.js';
import { ServiceError } from '../../src/core/errors.js';

const ALL_TYPES: GlueColumn[] = [
  { Name: 's', Type: 'string' },
  { Name: 'i', Type: 'int' },
  { Name: 'b', Type: 'bigint' },
  { Name: 't', Type: 'tinyint' },
  { Name: 'sm', Type: 'smallint' },
  { Name: 'f', Type: 'float' },
  { Name: 'd', Type: 'double' },
  { Name: 'ok', Type: 'boolean' },
  { Name: 'dec', Type: 'decimal(10,2)' },
  { Name: 'big_dec', Type: 'DECIMAL(38, 6)' },
  { Name: 'dt', Type: 'date' },
  { Name: 'ts', Type: 'timestamp' },
  { Name: 'bin', Type: 'binary' },
  { Name: 'vc', Type: 'varchar(3)' },
  { Name: 'ch', Type: 'char(2)' },
  { Name: 'st', Type: 'struct<a:int,b:array<string>>' },
  { Name: 'arr', Type: 'array<int>' },
  { Name: 'm', Type: 'map<string,int>' },
  { Name: 'deep', Type: 'array<struct<k:string,v:map<int,array<double>>>>' },
];

const ALL_TYPES_RECORDS = [
  {
    s: 'héllo',
    i: 2147483647,
    b: '9007199254740993',
    t: -128,
    sm: 300,
    f: 1.5,
    d: -2.25,
    ok: true,
    dec: '12.345',
    big_dec: '-12345678901234567890123456789012.5',
    dt: '2026-12-07',
    ts: '2026-12-07T13:45:30.123Z',
    bin: 'xyz',
    vc: 'abcdef',
    ch: 'ab',
    st: { a: 7, b: ['x', null, 'y'] },
    arr: [1, 2, 3],
    m: { k1: 1, k2: null },
    deep: [{ k: 'one', v: { '1': [0.5, 1.5] } }, null, { k: 'two', v: {} }],
  },
  { S: 'UPPER-key', I: '42', ok: 'false', arr: [], m: {}, st: { b: [] }, ts: 1765115130, d: '1e3' },
  {},
  { ts: '1765115130123', dt: '1999-1-2', dec: 0.005 },
];

/** What DuckDB answers for ALL_TYPES_RECORDS, as JSON (its own text forms). */
const ALL_TYPES_EXPECTED = [
  {
    s: 'héllo',
    i: 2147483647,
    b: '9007199254740993',
    t: -128,
    sm: 300,
    f: 1.5,
    d: -2.25,
    ok: true,
    dec: '12.35',
    big_dec: '-12345678901234567890123456789012.500000',
    dt: '2026-12-07',
    ts: '2026-12-07 13:45:30.123',
    bin: 'xyz',
    vc: 'abc',
    ch: 'ab',
    st: { a: 7, b: ['x', null, 'y'] },
    arr: [1, 2, 3],
    m: [
      { key: 'k1', value: 1 },
      { key: 'k2', value: null },
    ],
    deep: [{ k: 'one', v: [{ key: 1, value: [0.5, 1.5] }] }, null, { k: 'two', v: [] }],
  },
  {
    s: 'UPPER-key',
    i: 42,
    b: null,
    t: null,
    sm: null,
    f: null,
    d: 1000,
    ok: false,
    dec: null,
    big_dec: null,
    dt: null,
    ts: '2025-12-07 13:45:30',
    bin: null,
    vc: null,
    ch: null,
    st: { a: null, b: [] },
    arr: [],
    m: [],
    deep: null,
  },
  Object.fromEntries(ALL_TYPES.map((column) => [column.Name, null])),
  {
    ...Object.fromEntries(ALL_TYPES.map((column) => [column.Name, null])),
    ts: '2025-12-07 13:45:30.123',
    dt: '1999-01-02',
    dec: '0.01',
  },
];

const openx = (options: Record<string, unknown> = {}) => ({ Deserializer: { OpenXJsonSerDe: options } });
const parquetSerDe = (options: Record<string, unknown> = {}) => ({ Serializer: { ParquetSerDe: options } });
const records = (objects: readonly unknown[]) => objects.map((object) => Buffer.from(JSON.stringify(object)));

let directory: string;
let duck: DuckDBConnection;
let fileCount = 0;

before(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'tributary-parquet-'));
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
after(async () => {
  duck.closeSync();
  await rm(directory, { recursive: true, force: true });
});

async function duckRows(body: Buffer, sql = 'SELECT * FROM data'): Promise<Record<string, unknown>[]> {
  const file = path.join(directory, `object-${fileCount++}.parquet`);
  await writeFile(file, body);
  // `data` in the query is the file's rows, `FILE` its path.
  const reader = await duck.runAndReadAll(
    sql.replace(/\bdata\b/, `read_parquet('FILE')`).replaceAll('FILE', file),
  );
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

async function hyparquetRows(body: Buffer): Promise<Record<string, unknown>[]> {
  const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer;
  return (await parquetReadObjects({
    file,
    compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) },
  })) as Record<string, unknown>[];
}

function convert(objects: readonly unknown[], columns: GlueColumn[], options: ConversionOptions) {
  return convertToParquet(records(objects), glueColumnsToHive(columns), options);
}

describe('JSON to Parquet', () => {
  for (const writerVersion of ['V1', 'V2']) {
    for (const compression of ['SNAPPY', 'GZIP', 'UNCOMPRESSED']) {
      for (const dictionary of [true, false]) {
        it(`every Hive type: ${writerVersion} pages, ${compression}, dictionary ${dictionary ? 'on' : 'off'}`, async () => {
          const options = conversionOptions(
            openx(),
            parquetSerDe({
              WriterVersion: writerVersion,
              Compression: compression,
              EnableDictionaryCompression: dictionary,
            }),
          );
          const result = convert(ALL_TYPES_RECORDS, ALL_TYPES, options);
          assert.deepEqual(result.failures, []);
          assert.equal(result.rowCount, 4);
          const body = result.body;
          assert.ok(body !== undefined);
          assert.deepEqual(await duckRows(body), ALL_TYPES_EXPECTED);

          const rows = await hyparquetRows(body);
          const first = rows[0] ?? {};
          assert.equal(first['s'], 'héllo');
          assert.equal(first['b'], 9007199254740993n);
          assert.equal(first['dec'], 12.35);
          assert.deepEqual(first['ts'], new Date(Date.UTC(2026, 11, 7, 13, 45, 30, 123)));
          assert.deepEqual(first['dt'], new Date(Date.UTC(2026, 11, 7)));
          assert.deepEqual(first['st'], { a: 7, b: ['x', null, 'y'] });
          assert.deepEqual(first['m'], { k1: 1, k2: null });
          assert.deepEqual(rows[1]?.['arr'], []);
          assert.equal(rows[2]?.['arr'], null);

          const metadata = parquetMetadata(
            body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer,
          );
          const chunk = metadata.row_groups[0]?.columns[0]?.meta_data;
          assert.equal(chunk?.codec, compression);
          assert.equal(chunk?.dictionary_page_offset !== undefined, dictionary);
        });
      }
    }
  }

  it('splits a large buffer into pages and row groups that both readers count and sum', async () => {
    const columns = [
      { Name: 'id', Type: 'bigint' },
      { Name: 'unique_text', Type: 'string' },
      { Name: 'category', Type: 'string' },
      { Name: 'tags', Type: 'array<string>' },
    ];
    const objects = Array.from({ length: 30_000 }, (_, id) => ({
      id,
      unique_text: `record-${id}-${'x'.repeat(id % 50)}`,
      category: `c${id % 5}`,
      tags: id % 3 === 0 ? null : Array.from({ length: id % 4 }, (_, tag) => `t${tag}`),
    }));
    const options: ConversionOptions = {
      deserializer: {
        kind: 'openx',
        caseInsensitive: true,
        convertDotsInJsonKeysToUnderscores: false,
        columnToJsonKeyMappings: {},
      },
      parquet: {
        ...PARQUET_DEFAULTS,
        blockSizeBytes: 512 * 1024,
        pageSizeBytes: 64 * 1024,
        writerVersion: 'V2',
      },
    };
    const result = convert(objects, columns, options);
    const body = result.body;
    assert.ok(body !== undefined);
    const metadata = parquetMetadata(
      body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer,
    );
    assert.ok(metadata.row_groups.length >= 3, `row groups: ${metadata.row_groups.length}`);
    const chunks = metadata.row_groups[0]?.columns ?? [];
    // Too many distinct texts for a 64 KiB dictionary: PLAIN; five categories: a dictionary.
    assert.equal(chunks[1]?.meta_data?.dictionary_page_offset, undefined);
    assert.notEqual(chunks[2]?.meta_data?.dictionary_page_offset, undefined);
    const [summary] = await duckRows(
      body,
      `SELECT count(*) AS n, sum(id) AS total, count(DISTINCT unique_text) AS texts,
              sum(len(tags)) AS tag_count, count(tags) AS with_tags, count(DISTINCT category) AS categories FROM data`,
    );
    assert.deepEqual(summary, {
      n: '30000',
      total: String((29_999 * 30_000) / 2),
      texts: '30000',
      tag_count: String(objects.reduce((sum, object) => sum + (object.tags?.length ?? 0), 0)),
      with_tags: '20000',
      categories: '5',
    });
    const rows = await hyparquetRows(body);
    assert.equal(rows.length, 30_000);
    assert.deepEqual(rows[29_999], {
      id: 29_999n,
      unique_text: objects[29_999]?.unique_text,
      category: 'c4',
      tags: ['t0', 't1', 't2'],
    });

    const pages = await duckRows(
      body,
      `SELECT count(DISTINCT row_group_id) AS groups FROM parquet_metadata('FILE')`,
    );
    assert.deepEqual(pages, [{ groups: String(metadata.row_groups.length) }]);
  });

  it('pads to the block boundary when MaxPaddingBytes allows', async () => {
    const columns = [{ Name: 'text', Type: 'string' }];
    const objects = Array.from({ length: 4000 }, (_, index) => ({ text: `${index}-${'y'.repeat(200)}` }));
    const base: ConversionOptions = {
      deserializer: { kind: 'hive', timestampFormats: [] },
      parquet: {
        ...PARQUET_DEFAULTS,
        blockSizeBytes: 300 * 1024,
        compression: 'UNCOMPRESSED',
        enableDictionary: false,
      },
    };
    const unpadded = convert(objects, columns, base).body;
    const padded = convert(objects, columns, {
      ...base,
      parquet: { ...base.parquet, maxPaddingBytes: 300 * 1024 },
    }).body;
    assert.ok(unpadded !== undefined && padded !== undefined);
    const groups = parquetMetadata(
      padded.buffer.slice(padded.byteOffset, padded.byteOffset + padded.length) as ArrayBuffer,
    ).row_groups;
    assert.ok(groups.length >= 2);
    for (const group of groups.slice(1)) assert.equal(Number(group.file_offset) % (300 * 1024), 0);
    assert.ok(padded.length > unpadded.length);
    assert.deepEqual(await duckRows(padded, 'SELECT count(*) AS n FROM data'), [{ n: '4000' }]);
  });

  it('hands back the records that fail, with their error codes, and converts the rest', async () => {
    const columns = [
      { Name: 'n', Type: 'int' },
      { Name: 'small', Type: 'tinyint' },
    ];
    const input = [
      Buffer.from('{"n":1}'),
      Buffer.from('not json'),
      Buffer.from('{"n":"seven"}'),
      Buffer.from('[{"n":2}]'),
      Buffer.from('{"n":3}{"n":4}\n'),
      Buffer.from('{"small":128}'),
      Buffer.from('{"n":1.5}'),
      Buffer.from('{"n":5'),
      Buffer.from('"text"'),
    ];
    const result = convertToParquet(
      input,
      glueColumnsToHive(columns),
      conversionOptions(openx(), parquetSerDe()),
    );
    assert.deepEqual(
      result.failures.map((failure) => [failure.index, failure.errorCode]),
      [
        [1, 'DataFormatConversion.ParseError'],
        [2, 'DataFormatConversion.MalformedData'],
        [3, 'DataFormatConversion.ParseError'],
        [5, 'DataFormatConversion.MalformedData'],
        [6, 'DataFormatConversion.MalformedData'],
        [7, 'DataFormatConversion.ParseError'],
        [8, 'DataFormatConversion.ParseError'],
      ],
    );
    assert.equal(result.convertedRecords, 2);
    assert.ok(result.body !== undefined);
    assert.deepEqual(await duckRows(result.body, 'SELECT n FROM data'), [{ n: 1 }, { n: 3 }, { n: 4 }]);

    const none = convertToParquet(
      [Buffer.from('nope')],
      glueColumnsToHive(columns),
      conversionOptions(openx(), parquetSerDe()),
    );
    assert.equal(none.body, undefined);
    assert.equal(none.failures.length, 1);
  });

  it('OpenX: CaseInsensitive, ColumnToJsonKeyMappings and ConvertDotsInJsonKeysToUnderscores', async () => {
    const columns = [
      { Name: 'ts', Type: 'string' },
      { Name: 'user_name', Type: 'string' },
      { Name: 'Mixed', Type: 'int' },
      { Name: 'obj', Type: 'string' },
    ];
    const input = [{ timestamp: 'T1', 'user.name': 'ann', MIXED: 5, ts: 'ignored', obj: { a: [1] } }];
    const mapped = convert(
      input,
      columns,
      conversionOptions(
        openx({ ColumnToJsonKeyMappings: { ts: 'timestamp' }, ConvertDotsInJsonKeysToUnderscores: true }),
        parquetSerDe(),
      ),
    );
    assert.ok(mapped.body !== undefined);
    assert.deepEqual(await duckRows(mapped.body), [
      { ts: 'T1', user_name: 'ann', mixed: 5, obj: '{"a":[1]}' },
    ]);

    const strictCase = convert(
      input,
      columns,
      conversionOptions(openx({ CaseInsensitive: false }), parquetSerDe()),
    );
    assert.ok(strictCase.body !== undefined);
    assert.deepEqual(await duckRows(strictCase.body), [
      { ts: 'ignored', user_name: null, mixed: null, obj: '{"a":[1]}' },
    ]);
  });

  it('Hive JSON SerDe: TimestampFormats in order, then the SQL form; no numbers as strings', async () => {
    const columns = [
      { Name: 'ts', Type: 'timestamp' },
      { Name: 'n', Type: 'int' },
    ];
    const options = conversionOptions(
      {
        Deserializer: {
          HiveJsonSerDe: { TimestampFormats: ['dd/MM/yyyy HH:mm:ss.SSS Z', 'millis', "yyyy-MM-dd'T'HH:mm"] },
        },
      },
      parquetSerDe(),
    );
    const result = convertToParquet(
      [
        Buffer.from('{"ts":"07/12/2026 13:45:30.250 +01:00"}'),
        Buffer.from('{"ts":1765115130123}'),
        Buffer.from('{"ts":"2026-12-07T08:09"}'),
        Buffer.from('{"ts":"2026-12-07 08:09:10.5"}'),
        Buffer.from('{"ts":"yesterday"}'),
        Buffer.from('{"n":"12"}'),
        Buffer.from('{"N":12}'),
      ],
      glueColumnsToHive(columns),
      options,
    );
    assert.deepEqual(
      result.failures.map((failure) => [failure.index, failure.errorCode]),
      [
        [4, 'DataFormatConversion.MalformedData'],
        [5, 'DataFormatConversion.MalformedData'],
      ],
    );
    assert.ok(result.body !== undefined);
    assert.deepEqual(await duckRows(result.body), [
      { ts: '2026-12-07 12:45:30.25', n: null },
      { ts: '2025-12-07 13:45:30.123', n: null },
      { ts: '2026-12-07 08:09:00', n: null },
      { ts: '2026-12-07 08:09:10.5', n: null },
      { ts: null, n: 12 },
    ]);
  });

  it('rejects unusable configurations with InvalidArgumentException', () => {
    const rejects = (run: () => unknown, pattern: RegExp) =>
      assert.throws(
        run,
        (error: unknown) =>
          error instanceof ServiceError &&
          error.code === 'InvalidArgumentException' &&
          pattern.test(error.message),
      );
    rejects(
      () => conversionOptions(openx(), { Serializer: { OrcSerDe: {} } }),
      /OrcSerDe is not supported yet/,
    );
    rejects(
      () => conversionOptions({ Deserializer: { OpenXJsonSerDe: {}, HiveJsonSerDe: {} } }, parquetSerDe()),
      /Exactly one deserializer/,
    );
    rejects(() => conversionOptions(openx(), parquetSerDe({ BlockSizeBytes: 1024 })), /BlockSizeBytes/);
    rejects(() => conversionOptions(openx(), parquetSerDe({ PageSizeBytes: 1024 })), /PageSizeBytes/);
    rejects(() => glueColumnsToHive([{ Name: 'tags', Type: 'set<string>' }]), /unsupported type 'set'/);
    rejects(
      () => glueColumnsToHive([{ Name: 'u', Type: 'uniontype<int,string>' }]),
      /unsupported type 'uniontype'/,
    );
    assert.deepEqual(conversionOptions(openx(), parquetSerDe()).parquet, PARQUET_DEFAULTS);
  });
});
