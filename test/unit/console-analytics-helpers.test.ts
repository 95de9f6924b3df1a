/**
 * The console's Analytics helpers that hold logic of their own (web/src/analytics): the SQL
 * highlighter's tokens, the error position read from a CodeValidationException and its offset,
 * the in-application streams the code creates, and the formatted sample rows computed from the
 * raw records with edited columns. They run in the browser; here they run in Node, DOM-free.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createdStreams,
  offsetOf,
  positionInMessage,
  tokenizeSql,
} from '../../web/src/analytics/sql-highlight.js';
import { evaluatePath, formatSamples, toEditable, toRecordColumns } from '../../web/src/analytics/schema.js';

const seedCode = `-- per sensor
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (sensor_id VARCHAR(16), n INTEGER);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM sensor_id, COUNT(*) FROM "SOURCE_SQL_STREAM_001" WHERE status <> 'it''s'
GROUP BY sensor_id, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '2' SECOND); /* end */`;

describe('SQL highlighting', () => {
  it('splits any text into tokens that join back to it', () => {
    for (const code of [seedCode, '', "'unterminated", '"open', '/* open', 'a-b--c\n1.5e3 $x ~ é']) {
      assert.equal(
        tokenizeSql(code)
          .map((token) => token.text)
          .join(''),
        code,
      );
    }
  });

  it('classifies keywords, functions, strings, identifiers, numbers and comments', () => {
    const kinds = tokenizeSql(seedCode)
      .filter((token) => token.kind !== 'text')
      .slice(0, 12)
      .map((token) => `${token.kind}:${token.text}`);
    assert.deepEqual(kinds, [
      'comment:-- per sensor',
      'keyword:CREATE',
      'keyword:OR',
      'keyword:REPLACE',
      'keyword:STREAM',
      'identifier:"DESTINATION_SQL_STREAM"',
      'keyword:VARCHAR',
      'number:16',
      'keyword:INTEGER',
      'keyword:CREATE',
      'keyword:OR',
      'keyword:REPLACE',
    ]);
    const strings = tokenizeSql(seedCode).filter((token) => token.kind === 'string');
    assert.deepEqual(
      strings.map((token) => token.text),
      ["'it''s'", "'2'"],
    );
    assert.ok(tokenizeSql(seedCode).some((token) => token.kind === 'function' && token.text === 'STEP'));
    assert.equal(tokenizeSql(seedCode).at(-1)?.kind, 'comment');
  });
});

describe('code positions', () => {
  it("reads the line and column of the server's CodeValidationException", () => {
    assert.deepEqual(
      positionInMessage(
        "Application code is not valid: line 4, column 57: Column 'TEMPRATURE' not found in any table",
      ),
      { line: 4, column: 57 },
    );
    assert.equal(positionInMessage('Application code is not valid SQL'), undefined);
  });

  it('turns a 1-based line and column into an offset, clamped to the line and the code', () => {
    const code = 'ab\ncdef\ng';
    assert.equal(offsetOf(code, { line: 1, column: 1 }), 0);
    assert.equal(offsetOf(code, { line: 2, column: 3 }), 5);
    assert.equal(code[offsetOf(code, { line: 2, column: 3 })], 'e');
    assert.equal(offsetOf(code, { line: 2, column: 99 }), 7);
    assert.equal(offsetOf(code, { line: 3, column: 1 }), 8);
    assert.equal(offsetOf(code, { line: 9, column: 1 }), code.length);
  });

  it('finds the in-application streams the code creates, unquoted names upper case', () => {
    assert.deepEqual(createdStreams(seedCode), ['DESTINATION_SQL_STREAM']);
    assert.deepEqual(
      createdStreams(
        'create stream tmp (a INT);\nCREATE OR REPLACE STREAM "Mixed""Q" (b INT); CREATE STREAM tmp (c INT);',
      ),
      ['TMP', 'Mixed"Q'],
    );
  });
});

describe('formatted samples', () => {
  const json = {
    RecordFormatType: 'JSON' as const,
    MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
  };
  const raw = [
    '{"sensor":{"id":"s-1","tags":["a","b"]},"t":21.5}',
    '{"sensor":{"id":"s-2"},"t":null}',
    'not json',
  ];

  it('reads each raw JSON record with the columns as edited', () => {
    const columns = toEditable([
      { Name: 'ID', SqlType: 'VARCHAR(8)', Mapping: '$.sensor.id' },
      { Name: 'T', SqlType: 'DOUBLE', Mapping: '$.t' },
      { Name: 'TAG', SqlType: 'VARCHAR(4)', Mapping: '$.sensor.tags[1]' },
      { Name: 'SENSOR', SqlType: 'VARCHAR(64)', Mapping: '$.sensor' },
    ]);
    assert.deepEqual(formatSamples(raw, columns, json), [
      ['s-1', '21.5', 'b', '{"id":"s-1","tags":["a","b"]}'],
      ['s-2', '', '', '{"id":"s-2"}'],
      ['', '', '', ''],
    ]);
    assert.deepEqual(toRecordColumns(columns.slice(0, 1), json), [
      { Name: 'ID', SqlType: 'VARCHAR(8)', Mapping: '$.sensor.id' },
    ]);
  });

  it('reads rows under a row path, and CSV by position without mappings', () => {
    const rows = {
      RecordFormatType: 'JSON' as const,
      MappingParameters: { JSONMappingParameters: { RecordRowPath: '$.items[*]' } },
    };
    const columns = toEditable([{ Name: 'V', SqlType: 'INTEGER', Mapping: '$.items[*].v' }]);
    assert.deepEqual(formatSamples(['{"items":[{"v":1},{"v":2}]}'], columns, rows), [['1'], ['2']]);

    const csv = {
      RecordFormatType: 'CSV' as const,
      MappingParameters: { CSVMappingParameters: { RecordRowDelimiter: '\n', RecordColumnDelimiter: '|' } },
    };
    const csvColumns = toEditable([
      { Name: 'A', SqlType: 'INTEGER' },
      { Name: 'B', SqlType: 'VARCHAR(4)' },
      { Name: 'C', SqlType: 'VARCHAR(4)' },
    ]);
    assert.deepEqual(formatSamples(['1|x\n2|y|z'], csvColumns, csv), [
      ['1', 'x', ''],
      ['2', 'y', 'z'],
    ]);
    assert.deepEqual(toRecordColumns(csvColumns.slice(0, 1), csv), [{ Name: 'A', SqlType: 'INTEGER' }]);
  });

  it('follows member and index steps, and reads anything else as missing', () => {
    const value = { a: { 'b c': [10, { d: true }] } };
    assert.equal(evaluatePath(value, "$.a['b c'][1].d"), true);
    assert.equal(evaluatePath(value, '$.a.x.y'), undefined);
    assert.equal(evaluatePath(value, 'a.b'), undefined);
    assert.deepEqual(evaluatePath(value, '$'), value);
  });
});
