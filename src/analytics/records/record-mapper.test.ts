/** Input mapping: JSONPath columns, flattened arrays, CSV delimiters, coercion errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceSchema } from '../api/application-model.js';
import { createRecordMapper } from './record-mapper.js';

const json = (columns: [string, string, string][], rowPath = '$'): SourceSchema => ({
  RecordFormat: {
    RecordFormatType: 'JSON',
    MappingParameters: { JSONMappingParameters: { RecordRowPath: rowPath } },
  },
  RecordColumns: columns.map(([Name, Mapping, SqlType]) => ({ Name, Mapping, SqlType })),
});

const map = (schema: SourceSchema, text: string) => createRecordMapper(schema)(Buffer.from(text));

describe('record mapper', () => {
  it('maps JSON members by path, case-sensitively, missing ones to NULL', () => {
    const schema = json([
      ['ticker', '$.ticker', 'VARCHAR(3)'],
      ['price', '$.quote.price', 'DOUBLE'],
      ['qty', '$.qty', 'BIGINT'],
      ['when', '$.at', 'TIMESTAMP'],
      ['Ticker', '$.Ticker', 'VARCHAR(8)'],
    ]);
    assert.deepEqual(
      map(schema, '{"ticker":"AMZN","quote":{"price":12.5},"qty":3,"at":"2026-01-02 03:04:05.678"}'),
      {
        ok: true,
        rows: [['AMZ', 12.5, 3n, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), null]],
      },
    );
  });

  it('flattens one array into a row per element, and keeps a whole array as text', () => {
    const schema = json([
      ['id', '$.id', 'INTEGER'],
      ['item', '$.items[0:].name', 'VARCHAR(8)'],
      ['all', '$.items[0:]', 'VARCHAR(64)'],
    ]);
    const result = map(schema, '{"id":7,"items":[{"name":"a"},{"name":"b"}]}');
    assert.deepEqual(result, {
      ok: true,
      rows: [
        [7, 'a', '[{"name":"a"},{"name":"b"}]'],
        [7, 'b', '[{"name":"a"},{"name":"b"}]'],
      ],
    });
    assert.deepEqual(map(json([['all', '$.items[0:]', 'VARCHAR(64)']]), '{"items":[1,2]}'), {
      ok: true,
      rows: [['[1,2]']],
    });
    assert.deepEqual(map(schema, '{"id":7,"items":[]}'), { ok: true, rows: [[7, null, '[]']] });
  });

  it('coerces JSON values the documented way, and reports what cannot be', () => {
    const schema = json([
      ['flag', '$.f', 'BOOLEAN'],
      ['n', '$.n', 'INTEGER'],
      ['s', '$.s', 'VARCHAR(5)'],
    ]);
    assert.deepEqual(map(schema, '{"f":"TRUE","n":"42","s":true}'), { ok: true, rows: [[true, 42, 'true']] });
    assert.deepEqual(map(schema, '{"f":0,"n":true,"s":{"a":1}}'), { ok: true, rows: [[false, 1, '{"a":']] });
    assert.deepEqual(map(schema, '{"n":123.4}'), {
      ok: false,
      errorName: 'Coercion_Error',
      message: '123.4 does not fit INTEGER',
    });
    assert.deepEqual(map(json([['t', '$.t', 'TINYINT']]), '{"t":300}'), {
      ok: false,
      errorName: 'Coercion_Error',
      message: '300 does not fit TINYINT',
    });
    const broken = map(schema, '{"f":');
    assert.equal(broken.ok, false);
    assert.equal(!broken.ok && broken.errorName, 'Unparseable_Record');
  });

  it('splits CSV records into rows and fields by position', () => {
    const schema: SourceSchema = {
      RecordFormat: {
        RecordFormatType: 'CSV',
        MappingParameters: {
          CSVMappingParameters: { RecordRowDelimiter: '\\n', RecordColumnDelimiter: '|' },
        },
      },
      RecordColumns: [
        { Name: 'a', SqlType: 'VARCHAR(4)' },
        { Name: 'b', SqlType: 'REAL' },
        { Name: 'c', SqlType: 'INTEGER' },
      ],
    };
    assert.deepEqual(map(schema, 'x|1.5|2\ny|2.5\n'), {
      ok: true,
      rows: [
        ['x', 1.5, 2],
        ['y', 2.5, null],
      ],
    });
    assert.deepEqual(map(schema, 'x|abc|2'), {
      ok: false,
      errorName: 'Coercion_Error',
      message: "'abc' is not a number",
    });
  });
});
