/**
 * The SQL of the seed material (/work/shared/seeds/002_9cc8fc277a15afe7.txt, a Korean KDA
 * workshop deck), copied verbatim into test/analytics/seeds/: what users will paste.
 *
 * - sensor-tumbling.sql (reference S1) is valid: 8 columns, 8 select items, a tumbling GROUP BY on
 *   FLOOR((ROWTIME - epoch) SECOND / 60 TO SECOND).
 * - cloudtrail-calls-per-ip.sql (reference S2) is invalid, but only semantically, so the parser
 *   accepts it and the binder must reject it: (1) the pump inserts 3 items into a 6-column stream
 *   with no column list; (2) GROUP BY qualifies with `ctraill`, which names nothing (the FROM alias
 *   is `ctrail`); (3) "eventTimestamp" is selected but only STEP("eventTimestamp" ...) is grouped.
 *   The parser test pins those facts in the tree; the binder rejects it with the messages.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  withoutSpans,
  type CreatePump,
  type CreateStream,
  type Expression,
} from '../../src/analytics/sql/ast.js';
import { parseScript } from '../../src/analytics/sql/parser.js';
import { printScript } from '../../src/analytics/sql/printer.js';
import { shape } from './sql-shape.js';
import { bindApplication } from '../../src/analytics/plan/bind-application.js';
import { columns } from './sql-app.js';

/** The input schema the seed deck's applications read (sensor readings and CloudTrail events). */
const seedColumns = columns({
  sensor_id: 'VARCHAR(32)',
  sensor: 'VARCHAR(15)',
  station_id: 'VARCHAR(32)',
  sensor_value: 'DOUBLE',
  sensor_value_smoothed: 'DOUBLE',
  eventTimestamp: 'TIMESTAMP',
  sourceIPAddress: 'VARCHAR(64)',
});

const seed = (file: string): string =>
  readFileSync(fileURLToPath(new URL(`../../../test/analytics/seeds/${file}`, import.meta.url)), 'utf8');

function streamAndPump(source: string): [CreateStream, CreatePump] {
  const [stream, pump] = parseScript(source).statements;
  assert.ok(stream?.kind === 'createStream' && pump?.kind === 'createPump');
  return [stream, pump];
}

describe('seed statements', () => {
  it('S1 (sensor tumbling window) parses, and its pump fills every column', () => {
    const source = seed('sensor-tumbling.sql');
    const [stream, pump] = streamAndPump(source);
    assert.equal(stream.columns.length, 8);
    assert.equal(stream.columns[6]?.type.name, 'INTEGER');
    const query = pump.insert.query;
    assert.ok(query.kind === 'select');
    assert.equal(query.items.length, 8);
    assert.equal(
      shape(query.groupBy[3]!),
      "(FLOOR (/ (QUALIFY (- SOURCE_SQL_STREAM_001.ROWTIME TIMESTAMP'1970-01-01 00:00:00') SECOND) 60) TO SECOND)",
    );
    const tree = parseScript(source);
    assert.deepEqual(withoutSpans(parseScript(printScript(tree))), withoutSpans(tree));
  });

  it('S1 pasted with the console line numbers fails at the first number', () => {
    const numbered = seed('sensor-tumbling.sql')
      .split('\n')
      .map((line, index) => `${index + 1} ${line}`)
      .join('\n');
    assert.throws(() => parseScript(numbered), {
      message: 'line 1, column 1: expected a statement (CREATE, INSERT or SELECT) but found number 1',
    });
  });

  it('S2 (CloudTrail calls per IP) parses: its faults are for the binder', () => {
    const source = seed('cloudtrail-calls-per-ip.sql');
    const [stream, pump] = streamAndPump(source);
    const query = pump.insert.query;
    assert.ok(query.kind === 'select');

    // (1) No column list, so the 3 items map positionally onto 6 columns: a count mismatch.
    assert.equal(pump.insert.columns, null);
    assert.equal(stream.columns.length, 6);
    assert.equal(query.items.length, 3);

    // (2) The FROM alias is CTRAIL; GROUP BY qualifies with CTRAILL (line 17, column 15).
    const [source001] = query.from;
    assert.ok(source001?.kind === 'namedSource');
    assert.equal(source001.correlation?.alias.name, 'CTRAIL');
    const qualifiers = query.groupBy
      .map((key): Expression | undefined => (key.kind === 'step' ? key.operand : undefined))
      .filter((operand) => operand?.kind === 'column')
      .map((operand) => operand!.kind === 'column' && operand!.parts[0]!);
    assert.deepEqual(
      qualifiers.map((part) => part && [part.name, part.span.line, part.span.column]),
      [
        ['CTRAILL', 17, 15],
        ['CTRAILL', 18, 15],
      ],
    );

    // (3) "eventTimestamp" is selected bare but grouped only inside STEP(...).
    const first = query.items[0];
    assert.ok(first?.kind === 'expressionItem');
    assert.equal(shape(first.expression), 'eventTimestamp');
    assert.deepEqual(query.groupBy.map(shape), [
      'sourceIPAddress',
      "(STEP CTRAILL.ROWTIME BY INTERVAL'1'MINUTE)",
      "(STEP CTRAILL.eventTimestamp BY INTERVAL'1'MINUTE)",
    ]);
  });

  it('S1 binds against the sensor schema', () => {
    const plan = bindApplication(
      seed('sensor-tumbling.sql'),
      { inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: seedColumns }], tables: [] },
      { now: () => 0 },
    );
    assert.deepEqual([...plan.streams.keys()], ['SOURCE_SQL_STREAM_001', 'DESTINATION_SQL_STREAM']);
    assert.equal(plan.pumps[0]?.plan.kind, 'project');
  });

  it('S2 is rejected by the binder: first its column count, then (once fixed) the unknown qualifier, then the ungrouped column', () => {
    const inputs = { inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: seedColumns }], tables: [] };
    const source = seed('cloudtrail-calls-per-ip.sql');
    assert.throws(() => bindApplication(source, inputs, { now: () => 0 }), {
      name: 'SqlValidationError',
      message:
        'line 12, column 1: Number of INSERT target columns (6) does not equal number of source items (3)',
    });
    const withColumns = source.replace(
      'INSERT INTO calls_per_ip_stream\n',
      'INSERT INTO calls_per_ip_stream (eventTimeStamp, unitvalue, category)\n',
    );
    assert.throws(() => bindApplication(withColumns, inputs, { now: () => 0 }), {
      message: "line 17, column 15: Table 'CTRAILL' not found",
    });
    const withAlias = withColumns.replaceAll('ctraill.', 'ctrail.');
    assert.throws(() => bindApplication(withAlias, inputs, { now: () => 0 }), {
      message: 'line 12, column 15: Expression \'"eventTimestamp"\' is not being grouped',
    });
  });
});
