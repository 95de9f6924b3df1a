import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../core/errors.js';
import { parseCopyOptions, postgresCopyOptions } from './copy-options.js';
import { columnNames, jsonToCsv, postgresTargetOf, tableNameSql } from './postgres-copy.js';

function refusal(options: string): string {
  try {
    parseCopyOptions(options);
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'InvalidArgumentException');
    return error.message;
  }
  assert.fail(`expected CopyOptions "${options}" to be refused`);
}

test('no options: Redshift text format with | as the delimiter', () => {
  const plan = parseCopyOptions(undefined);
  assert.deepEqual(plan, {
    format: 'text',
    ignoreCase: false,
    delimiter: '|',
    quote: undefined,
    nullText: undefined,
    ignoreHeaderLines: 0,
    gzip: false,
  });
  assert.equal(postgresCopyOptions(plan), "FORMAT text, DELIMITER '|'");
});

test('JSON auto, in each spelling, with GZIP and the accepted no-op options', () => {
  for (const options of ["JSON 'auto' GZIP", "format as json 'auto' gzip", "FORMAT JSON AS 'auto'; GZIP"]) {
    const plan = parseCopyOptions(options);
    assert.equal(plan.format, 'json', options);
    assert.equal(plan.gzip, true, options);
    assert.equal(plan.ignoreCase, false, options);
  }
  const plan = parseCopyOptions(
    "json 'auto ignorecase' TIMEFORMAT 'auto' DATEFORMAT AS 'AUTO' COMPUPDATE OFF STATUPDATE ON",
  );
  assert.equal(plan.ignoreCase, true);
  assert.equal(postgresCopyOptions(plan), 'FORMAT csv');
});

test('CSV with quote, delimiter, null text and header lines', () => {
  const plan = parseCopyOptions("CSV QUOTE AS '''' DELIMITER AS '\\t' NULL AS 'n/a' IGNOREHEADER 2");
  assert.equal(plan.format, 'csv');
  assert.equal(plan.quote, "'");
  assert.equal(plan.delimiter, '\t');
  assert.equal(plan.ignoreHeaderLines, 2);
  assert.equal(postgresCopyOptions(plan), "FORMAT csv, DELIMITER '\t', QUOTE '''', NULL 'n/a'");
});

test('what cannot be translated is refused', () => {
  assert.match(refusal('FORMAT AS PARQUET'), /FORMAT PARQUET is not supported yet/);
  assert.match(refusal("JSON 's3://b/paths.json'"), /JSONPaths file/);
  assert.match(refusal('MAXERROR 10'), /The COPY option MAXERROR is not supported yet/);
  assert.match(refusal('BZIP2'), /The COPY option BZIP2/);
  assert.match(refusal("TIMEFORMAT 'epochsecs'"), /TIMEFORMAT 'epochsecs'/);
  assert.match(refusal("DELIMITER '||'"), /DELIMITER must be a single character/);
  assert.match(refusal("QUOTE '\"'"), /QUOTE can be used only with CSV/);
  assert.match(refusal("JSON 'auto' DELIMITER ','"), /cannot be used with JSON/);
  assert.match(refusal("DELIMITER 'x"), /unterminated quoted string/);
});

test('JSON objects, concatenated or one a line, become CSV rows of the columns', () => {
  const data = Buffer.from('{"id":1,"name":"a \\"q\\", b","tags":[1,2]}{"id":2}\n{"ID":3,"name":null}\n');
  assert.equal(
    jsonToCsv(data, ['id', 'name', 'tags'], false).toString(),
    '"1","a ""q"", b","[1,2]"\n"2",,\n,,\n',
  );
  assert.equal(jsonToCsv(data, ['id'], true).toString(), '"1"\n"2"\n"3"\n');
  assert.throws(() => jsonToCsv(Buffer.from('{"id":1} 42'), ['id'], false), /not an object/);
  assert.throws(() => jsonToCsv(Buffer.from('{"id":'), ['id'], false), /Invalid JSON/);
  assert.equal(jsonToCsv(Buffer.from(''), ['id'], false).length, 0);
});

test('JDBC URLs, table and column names', () => {
  assert.deepEqual(postgresTargetOf('jdbc:redshift://c1.abc.us-east-1.redshift.amazonaws.com:5439/dev'), {
    host: 'c1.abc.us-east-1.redshift.amazonaws.com',
    port: 5439,
    database: 'dev',
  });
  assert.deepEqual(postgresTargetOf('jdbc:postgresql://pg.redshift.localhost:5432/db'), {
    host: '127.0.0.1',
    port: 5432,
    database: 'db',
  });
  assert.equal(postgresTargetOf('postgres://x:1/y'), undefined);
  assert.equal(tableNameSql('public.events'), 'public.events');
  assert.equal(tableNameSql('"Mixed Case"'), '"Mixed Case"');
  assert.equal(tableNameSql('events; DROP TABLE x'), undefined);
  assert.deepEqual(columnNames('id, name ,"Note"'), ['id', 'name', '"Note"']);
  assert.equal(columnNames('id, name)'), undefined);
});
