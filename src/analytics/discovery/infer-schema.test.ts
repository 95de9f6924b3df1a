/** Schema inference: formats, flattening, types, VARCHAR sizing, names, CSV delimiters and headers. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnName, inferSchema, inferType } from './infer-schema.js';

describe('inferSchema', () => {
  it('infers the ticker demo schema from JSON records', () => {
    const discovered = inferSchema([
      '{"TICKER_SYMBOL":"QXZ","SECTOR":"HEALTHCARE","CHANGE":-0.05,"PRICE":84.51}',
      '{"TICKER_SYMBOL":"AMZN","SECTOR":"TECHNOLOGY","CHANGE":1.25,"PRICE":1500.1}',
    ]);
    assert.deepEqual(discovered?.InputSchema, {
      RecordFormat: {
        RecordFormatType: 'JSON',
        MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
      },
      RecordEncoding: 'UTF-8',
      RecordColumns: [
        { Name: 'TICKER_SYMBOL', Mapping: '$.TICKER_SYMBOL', SqlType: 'VARCHAR(4)' },
        { Name: 'SECTOR', Mapping: '$.SECTOR', SqlType: 'VARCHAR(16)' },
        { Name: 'CHANGE', Mapping: '$.CHANGE', SqlType: 'REAL' },
        { Name: 'PRICE', Mapping: '$.PRICE', SqlType: 'REAL' },
      ],
    });
    assert.deepEqual(discovered?.ParsedInputRecords, [
      ['QXZ', 'HEALTHCARE', '-0.05', '84.51'],
      ['AMZN', 'TECHNOLOGY', '1.25', '1500.1'],
    ]);
  });

  it('flattens nested objects two levels deep, keeps arrays and deeper objects as text', () => {
    const discovered = inferSchema([
      '{"id":1,"sensor":{"name":"t1","pos":{"x":2,"deep":{"z":1}}},"tags":["a","b"],"user":"x"}',
    ]);
    assert.deepEqual(
      discovered?.InputSchema.RecordColumns.map((column) => [column.Name, column.Mapping, column.SqlType]),
      [
        ['id', '$.id', 'TINYINT'],
        ['name', '$.sensor.name', 'VARCHAR(4)'],
        ['x', '$.sensor.pos.x', 'TINYINT'],
        ['deep', '$.sensor.pos.deep', 'VARCHAR(16)'],
        ['tags', '$.tags[0:]', 'VARCHAR(16)'],
        ['COL_user', '$.user', 'VARCHAR(4)'],
      ],
    );
  });

  it('merges columns seen in some records only, and widens types', () => {
    const discovered = inferSchema(['{"a":1,"b":"2026-01-02 03:04:05"}', '{"a":70000,"c":true}', '{"a":5}']);
    assert.deepEqual(
      discovered?.InputSchema.RecordColumns.map((column) => [column.Name, column.SqlType]),
      [
        ['a', 'INTEGER'],
        ['b', 'TIMESTAMP'],
        ['c', 'BOOLEAN'],
      ],
    );
    assert.deepEqual(discovered?.ParsedInputRecords[1], ['70000', '', 'true']);
  });

  it('infers CSV with its delimiters and a header line', () => {
    const discovered = inferSchema(['year|city|temp\r\n2024|Seoul|12.5\r\n', '2025|Busan|14.25']);
    assert.deepEqual(discovered?.InputSchema.RecordFormat, {
      RecordFormatType: 'CSV',
      MappingParameters: { CSVMappingParameters: { RecordRowDelimiter: '\r\n', RecordColumnDelimiter: '|' } },
    });
    assert.deepEqual(discovered?.InputSchema.RecordColumns, [
      { Name: 'COL_year', SqlType: 'SMALLINT' },
      { Name: 'city', SqlType: 'VARCHAR(16)' },
      { Name: 'temp', SqlType: 'REAL' },
    ]);
    assert.deepEqual(discovered?.ParsedInputRecords, [
      ['year', 'city', 'temp'],
      ['2024', 'Seoul', '12.5'],
      ['2025', 'Busan', '14.25'],
    ]);
  });

  it('names CSV columns COL1… without a header', () => {
    const discovered = inferSchema(['a,1', 'b,2']);
    assert.deepEqual(discovered?.InputSchema.RecordColumns, [
      { Name: 'COL1', SqlType: 'VARCHAR(4)' },
      { Name: 'COL2', SqlType: 'TINYINT' },
    ]);
  });

  it('finds nothing in an empty sample', () => {
    assert.equal(inferSchema([]), undefined);
    assert.equal(inferSchema(['', '  ']), undefined);
  });
});

describe('inferType', () => {
  it('picks the smallest integer type, REAL or DOUBLE, and VARCHAR sizes in powers of four', () => {
    assert.equal(inferType([1, -128, 127]), 'TINYINT');
    assert.equal(inferType([128]), 'SMALLINT');
    assert.equal(inferType([40000]), 'INTEGER');
    assert.equal(inferType([2 ** 40]), 'BIGINT');
    assert.equal(inferType([1.5, 2]), 'REAL');
    assert.equal(inferType([1.23456789]), 'DOUBLE');
    assert.equal(inferType(['abcde']), 'VARCHAR(16)');
    assert.equal(inferType(['a'.repeat(17)]), 'VARCHAR(64)');
    assert.equal(inferType([1, 'x']), 'VARCHAR(4)');
    assert.equal(inferType([null, undefined]), 'VARCHAR(4)');
    assert.equal(inferType(['2018-05-09T12:50:41.337510']), 'TIMESTAMP');
    assert.equal(inferType(['2018-05-09']), 'VARCHAR(16)');
  });
});

describe('columnName', () => {
  it('keeps plain names and prefixes reserved or unusual ones with COL_', () => {
    assert.equal(columnName('price', 0), 'price');
    assert.equal(columnName('USER', 0), 'COL_USER');
    assert.equal(columnName('USER@DOMAIN', 0), 'COL_USERDOMAIN');
    assert.equal(columnName('@@', 3), 'COL_3');
    assert.equal(columnName('1st', 0), 'COL_1st');
  });
});
