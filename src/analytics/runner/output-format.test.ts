/** Output records: JSON keyed by column, CSV in column order, and the text forms of values. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRow } from './output-format.js';

const columns = [
  { name: 'TICKER', sqlType: 'VARCHAR(8)' },
  { name: 'N', sqlType: 'BIGINT' },
  { name: 'AT', sqlType: 'TIMESTAMP' },
  { name: 'OK', sqlType: 'BOOLEAN' },
  { name: 'X', sqlType: 'DOUBLE' },
];
const row = {
  rowtimeMs: 0,
  values: ['A,"B"', 9007199254740993n, new Date(Date.UTC(2026, 11, 7, 10, 0, 1, 5)), true, null],
};

describe('formatRow', () => {
  it('writes JSON objects without a line end, BIGINT exact and timestamps as SQL text', () => {
    assert.equal(
      formatRow('JSON', columns, row).toString(),
      '{"TICKER":"A,\\"B\\"","N":9007199254740993,"AT":"2026-12-07 10:00:01.005","OK":true,"X":null}',
    );
  });

  it('writes CSV lines with quoting where needed', () => {
    assert.equal(
      formatRow('CSV', columns, row).toString(),
      '"A,""B""",9007199254740993,2026-12-07 10:00:01.005,true,\n',
    );
  });
});
