/**
 * RANDOM_CUT_FOREST, RANDOM_CUT_FOREST_WITH_EXPLANATION and HOTSPOTS through the engine: the
 * learning phase, an injected outlier scoring highest, the explanation naming the right column
 * and side, hotspots found where they were planted and not in a uniform background, repeatable
 * results, the printer's round trip, and the parameter errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindApplication } from '../../src/analytics/plan/bind-application.js';
import { SqlValidationError } from '../../src/analytics/plan/sql-validation-error.js';
import { parseScript } from '../../src/analytics/sql/parser.js';
import { printStatement } from '../../src/analytics/sql/printer.js';
import { columns, runApp, source, type Emitted, type Step } from './sql-app.js';

/** A deterministic uniform generator (Park–Miller) so the generated series are fixed. */
function uniform(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

const start = Date.parse('2026-12-07T10:00:00Z');
const steps = (rows: readonly Record<string, unknown>[]): Step[] =>
  rows.map((row, i) => ({ at: start + i * 100, row }));
const destination = (out: readonly Emitted[]): Record<string, unknown>[] =>
  out.filter((e) => e.stream === 'DESTINATION_SQL_STREAM').map((e) => e.row);

const sensorColumns = { SENSOR: 'VARCHAR(8)', TEMPERATURE: 'DOUBLE', PRESSURE: 'INTEGER' };
const spikeAt = 400;

/** A sine temperature with noise, a steady pressure, one temperature spike at `spikeAt`. */
function sensorSeries(
  count: number,
  spike: { temperature?: number; pressure?: number },
): Record<string, unknown>[] {
  const random = uniform(7);
  return Array.from({ length: count }, (_, i) => ({
    SENSOR: `s${i % 3}`,
    TEMPERATURE:
      i === spikeAt && spike.temperature !== undefined
        ? spike.temperature
        : 20 + 5 * Math.sin(i / 8) + random(),
    PRESSURE:
      i === spikeAt && spike.pressure !== undefined ? spike.pressure : 1000 + Math.floor(random() * 4),
  }));
}

const argmax = (values: readonly number[]): number => values.indexOf(Math.max(...values));

describe('RANDOM_CUT_FOREST', () => {
  const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (sensor VARCHAR(8), temperature DOUBLE, anomaly_score DOUBLE);
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM sensor, temperature, ANOMALY_SCORE
      FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001")));`;
  const rows = sensorSeries(500, { temperature: 60 });
  const out = destination(runApp(code, sensorColumns, steps(rows)));
  const scores = out.map((r) => r.ANOMALY_SCORE as number);

  it('passes every row through with ANOMALY_SCORE appended', () => {
    assert.equal(out.length, rows.length);
    assert.deepEqual(
      out.map((r) => [r.SENSOR, r.TEMPERATURE]),
      rows.map((r) => [r.SENSOR, r.TEMPERATURE]),
    );
  });

  it('scores 0 while learning from the first subSampleSize (256) records, then scores', () => {
    assert.deepEqual(new Set(scores.slice(0, 256)), new Set([0]));
    assert.ok(scores.slice(256).every((s) => s > 0));
  });

  it('gives the injected spike the highest score, well above the rest', () => {
    assert.equal(argmax(scores), spikeAt);
    const others = scores.filter((_, i) => i !== spikeAt);
    assert.ok(scores[spikeAt]! > 2 * Math.max(...others), `${scores[spikeAt]} vs ${Math.max(...others)}`);
    // Ordinary records score around 1, as AWS's do (docs: 0.7 for normal records).
    const typical = others.slice(256).reduce((a, b) => a + b, 0) / (others.length - 256);
    assert.ok(typical > 0.4 && typical < 1.6, String(typical));
  });

  it('passes a row with a NULL feature with a NULL score, without learning from it', () => {
    const withNull = rows.map((r, i) => (i === 300 ? { ...r, PRESSURE: null } : r));
    const result = destination(runApp(code, sensorColumns, steps(withNull)));
    assert.equal(result[300]!.ANOMALY_SCORE, null);
    assert.equal(result[300]!.SENSOR, rows[300]!.SENSOR);
    assert.ok((result[301]!.ANOMALY_SCORE as number) > 0);
  });

  it('takes a correlation name and column aliases like any FROM item', () => {
    const aliased = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (p DOUBLE, score DOUBLE);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
        SELECT STREAM r.p, r.score FROM TABLE(RANDOM_CUT_FOREST(
          CURSOR(SELECT STREAM temperature FROM "SOURCE_SQL_STREAM_001"), 10, 20)) AS r (p, score);`;
    const result = destination(runApp(aliased, sensorColumns, steps(rows.slice(0, 30))));
    assert.deepEqual(
      result.map((r) => r.P),
      rows.slice(0, 30).map((r) => r.TEMPERATURE),
    );
    assert.equal(
      result.findIndex((r) => (r.SCORE as number) > 0),
      20,
    );
  });

  it('is repeatable: the same input gives the same scores', () => {
    const again = destination(runApp(code, sensorColumns, steps(rows))).map((r) => r.ANOMALY_SCORE);
    assert.deepEqual(again, scores);
  });

  it('honours subSampleSize and shingleSize: learning lasts subSampleSize points after the first full shingle', () => {
    const shingled = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (anomaly_score DOUBLE);
      CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
        SELECT STREAM ANOMALY_SCORE FROM TABLE(RANDOM_CUT_FOREST(
          CURSOR(SELECT STREAM temperature FROM "SOURCE_SQL_STREAM_001"), 20, 50, 1000, 4));`;
    const result = destination(runApp(shingled, sensorColumns, steps(rows))).map(
      (r) => r.ANOMALY_SCORE as number,
    );
    // 3 records fill the shingle, 50 shingles are learnt: the 54th record is the first scored.
    assert.equal(
      result.findIndex((s) => s > 0),
      3 + 50,
    );
    // Every shingle holding the spike is unusual: the spike and the 3 records after it rank top.
    const top = result
      .map((s, i) => [s, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 4)
      .map(([, i]) => i)
      .sort((a, b) => a - b);
    assert.deepEqual(top, [spikeAt, spikeAt + 1, spikeAt + 2, spikeAt + 3]);
  });
});

describe('RANDOM_CUT_FOREST_WITH_EXPLANATION', () => {
  const code = (directionality: string) => `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
        "temperature" DOUBLE, "pressure" INTEGER, ANOMALY_SCORE DOUBLE, ANOMALY_EXPLANATION VARCHAR(512));
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT "temperature", "pressure", ANOMALY_SCORE, ANOMALY_EXPLANATION
      FROM TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(
        CURSOR(SELECT STREAM sensor, temperature AS "temperature", pressure AS "pressure" FROM "SOURCE_SQL_STREAM_001"),
        50, 100, 100000, 1${directionality}));`;
  type Explanation = Record<string, { DIRECTION?: string; STRENGTH?: string; ATTRIBUTION_SCORE: string }>;
  const explained = (rows: readonly Record<string, unknown>[], directionality: string) =>
    destination(runApp(code(directionality), sensorColumns, steps(rows))).map((r) => ({
      score: r.ANOMALY_SCORE as number,
      explanation: JSON.parse(r.ANOMALY_EXPLANATION as string) as Explanation,
    }));

  it('prints the learning phase as AWS does: score 0, strength 0, direction LOW', () => {
    const [first] = destination(runApp(code(', TRUE'), sensorColumns, steps(sensorSeries(1, {}))));
    assert.equal(first!.ANOMALY_SCORE, 0);
    assert.equal(
      first!.ANOMALY_EXPLANATION,
      '{"temperature":{"DIRECTION":"LOW","STRENGTH":"0.0000","ATTRIBUTION_SCORE":"0.0000"},' +
        '"pressure":{"DIRECTION":"LOW","STRENGTH":"0.0000","ATTRIBUTION_SCORE":"0.0000"}}',
    );
  });

  it('attributes a high pressure spike to pressure, HIGH, and the attributions sum to the score', () => {
    const out = explained(sensorSeries(450, { pressure: 1040 }), ', TRUE');
    assert.equal(argmax(out.map((o) => o.score)), spikeAt);
    const spike = out[spikeAt]!;
    const pressure = spike.explanation.pressure!;
    const temperature = spike.explanation.temperature!;
    assert.equal(pressure.DIRECTION, 'HIGH');
    assert.ok(
      Number(pressure.ATTRIBUTION_SCORE) > 5 * Number(temperature.ATTRIBUTION_SCORE),
      JSON.stringify(spike),
    );
    assert.ok(Number(pressure.STRENGTH) > 10, pressure.STRENGTH);
    for (const o of out.slice(100)) {
      const sum = Object.values(o.explanation).reduce((s, c) => s + Number(c.ATTRIBUTION_SCORE), 0);
      assert.ok(Math.abs(sum - o.score) < 0.0002, `${sum} vs ${o.score}`);
      for (const c of Object.values(o.explanation)) {
        assert.match(c.ATTRIBUTION_SCORE, /^\d+\.\d{4}$/);
        assert.match(c.STRENGTH!, /^\d+\.\d{4}$/);
      }
    }
  });

  it('attributes a low temperature dip to temperature, LOW', () => {
    const out = explained(sensorSeries(450, { temperature: -20 }), ', TRUE');
    assert.equal(argmax(out.map((o) => o.score)), spikeAt);
    const { temperature, pressure } = out[spikeAt]!.explanation;
    assert.equal(temperature!.DIRECTION, 'LOW');
    assert.ok(Number(temperature!.ATTRIBUTION_SCORE) > 5 * Number(pressure!.ATTRIBUTION_SCORE));
  });

  it('without directionality (the default) gives only the attribution scores', () => {
    for (const directionality of ['', ', FALSE']) {
      const out = explained(sensorSeries(120, {}), directionality);
      assert.deepEqual(Object.keys(out[110]!.explanation.temperature!), ['ATTRIBUTION_SCORE']);
      assert.deepEqual(Object.keys(out[110]!.explanation), ['temperature', 'pressure']);
    }
  });
});

describe('HOTSPOTS', () => {
  const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" ("x" DOUBLE, "y" DOUBLE, "is_hot" VARCHAR(4), HOTSPOTS_RESULT VARCHAR(10000));
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT "x", "y", "is_hot", "HOTSPOTS_RESULT"
      FROM TABLE(HOTSPOTS(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 1000, 0.2, 17));`;
  const pointColumns = { x: 'DOUBLE', y: 'DOUBLE', is_hot: 'VARCHAR(4)' };
  interface Result {
    hotspots: { density: number; minValues: number[]; maxValues: number[] }[];
  }
  /** The developer guide's data: x, y uniform in [0, 10), every `hotEvery`-th point in a 0.4 square at (3, 7). */
  function points(count: number, hotEvery: number | null): Record<string, unknown>[] {
    const random = uniform(11);
    return Array.from({ length: count }, (_, i) => {
      const hot = hotEvery !== null && i % hotEvery === 0;
      return hot
        ? { x: 3 + random() * 0.4, y: 7 + random() * 0.4, is_hot: 'Y' }
        : { x: random() * 10, y: random() * 10, is_hot: 'N' };
    });
  }
  const results = (rows: readonly Record<string, unknown>[]): Result[] =>
    destination(runApp(code, pointColumns, steps(rows))).map(
      (r) => JSON.parse(r.HOTSPOTS_RESULT as string) as Result,
    );

  it('finds the planted dense region, densest, with its bounding box', () => {
    const rows = points(1200, 5);
    const out = results(rows);
    assert.equal(out.length, rows.length);
    const last = out[out.length - 1]!.hotspots;
    assert.ok(last.length >= 1);
    const [top] = last;
    assert.deepEqual(Object.keys(top!), ['density', 'minValues', 'maxValues']);
    // The box covers the planted square (give or take border points within scanRadius of it).
    assert.ok(top!.minValues[0]! <= 3.05 && top!.minValues[0]! >= 2.8, JSON.stringify(top));
    assert.ok(top!.maxValues[0]! >= 3.35 && top!.maxValues[0]! <= 3.6, JSON.stringify(top));
    assert.ok(top!.minValues[1]! <= 7.05 && top!.minValues[1]! >= 6.8, JSON.stringify(top));
    assert.ok(top!.maxValues[1]! >= 7.35 && top!.maxValues[1]! <= 7.6, JSON.stringify(top));
    // The developer guide's viewer keeps hotspots of density 40 and more.
    assert.ok(top!.density >= 20, String(top!.density));
    for (const other of last.slice(1)) assert.ok(other.density < top!.density / 4, JSON.stringify(last));
  });

  it('finds nothing dense in a uniform background', () => {
    const out = results(points(1200, null));
    const densest = Math.max(0, ...out.flatMap((r) => r.hotspots.map((h) => h.density)));
    assert.ok(densest < 10, String(densest));
  });

  it('forgets a hotspot once its points have left the window (state is the last windowSize rows)', () => {
    const rows = [...points(300, 2), ...points(1000, null)];
    const out = results(rows);
    assert.ok(out[299]!.hotspots[0]!.density >= 20, JSON.stringify(out[299]!.hotspots[0]));
    assert.ok(out[rows.length - 1]!.hotspots.every((h) => h.density < 10));
  });

  it('reports no hotspot before enough points are close together', () => {
    // 17 points along a 0.016 segment: all neighbours, but only the 17th makes them a hotspot.
    const rows = Array.from({ length: 17 }, (_, i) => ({ x: 3 + i / 1000, y: 7, is_hot: 'Y' }));
    const out = results(rows);
    assert.deepEqual(
      out.map((r) => r.hotspots.length),
      [...Array.from({ length: 16 }, () => 0), 1],
    );
    assert.deepEqual(out[16]!.hotspots[0]!.minValues, [3, 7]);
    assert.deepEqual(out[16]!.hotspots[0]!.maxValues, [3.016, 7]);
  });
});

describe('the printer round trip', () => {
  it('printed code binds and runs to the same rows', () => {
    const code = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (t DOUBLE, s DOUBLE, e VARCHAR(256), h VARCHAR(2000));
      CREATE OR REPLACE STREAM "MID" (t DOUBLE, p INTEGER, s DOUBLE, e VARCHAR(256));
      CREATE OR REPLACE PUMP "A" AS INSERT INTO "MID"
        SELECT STREAM r.temperature, r.pressure, r.ANOMALY_SCORE, r.ANOMALY_EXPLANATION
        FROM TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(CURSOR(SELECT STREAM temperature, pressure FROM "SOURCE_SQL_STREAM_001"), 10, 20, 500, 2, TRUE)) AS r;
      CREATE OR REPLACE PUMP "B" AS INSERT INTO "DESTINATION_SQL_STREAM"
        SELECT t, s, e, HOTSPOTS_RESULT FROM TABLE(HOTSPOTS(CURSOR(SELECT STREAM t, p, s, e FROM "MID"), 100, 1.5, 3));`;
    const printed = parseScript(code)
      .statements.map((s) => printStatement(s))
      .join(';\n');
    assert.match(printed, /TABLE\(RANDOM_CUT_FOREST_WITH_EXPLANATION\(CURSOR\(SELECT STREAM/);
    const rows = steps(sensorSeries(80, { temperature: 90 }));
    const original = destination(runApp(code, sensorColumns, rows));
    assert.equal(original.length, 80);
    assert.deepEqual(destination(runApp(printed + ';', sensorColumns, rows)), original);
  });
});

describe('parameter errors', () => {
  const inputs = {
    inputs: [
      {
        name: source,
        columns: columns({
          SENSOR: 'VARCHAR(8)',
          TEMPERATURE: 'DOUBLE',
          PRESSURE: 'INTEGER',
          AMOUNT: 'DECIMAL(8,2)',
        }),
      },
    ],
    tables: [],
  };
  const from = (call: string, select = 'SELECT STREAM temperature, pressure FROM "SOURCE_SQL_STREAM_001"') =>
    `CREATE STREAM d (x DOUBLE);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM 1.0 FROM TABLE(${call.replace('CURSOR', `CURSOR(${select})`)});`;
  function rejects(code: string, message: string): void {
    assert.throws(
      () => bindApplication(code, inputs, { now: () => 0 }),
      (error: unknown) => {
        assert.ok(error instanceof SqlValidationError, String(error));
        assert.equal(error.message, message);
        return true;
      },
    );
  }

  it('checks ranges, types and counts', () => {
    const cases: [string, string][] = [
      [
        'RANDOM_CUT_FOREST(CURSOR, 0)',
        'RANDOM_CUT_FOREST: numberOfTrees must be an integer from 1 to 1000 (found 0)',
      ],
      [
        'RANDOM_CUT_FOREST(CURSOR, 1001)',
        'RANDOM_CUT_FOREST: numberOfTrees must be an integer from 1 to 1000 (found 1001)',
      ],
      [
        'RANDOM_CUT_FOREST(CURSOR, 10.5)',
        'RANDOM_CUT_FOREST: numberOfTrees must be an integer from 1 to 1000 (found 10.5)',
      ],
      [
        'RANDOM_CUT_FOREST(CURSOR, 100, 9)',
        'RANDOM_CUT_FOREST: subSampleSize must be an integer from 10 to 1000 (found 9)',
      ],
      [
        'RANDOM_CUT_FOREST(CURSOR, 100, 256, 0)',
        'RANDOM_CUT_FOREST: timeDecay must be an integer from 1 to 2147483647 (found 0)',
      ],
      [
        'RANDOM_CUT_FOREST(CURSOR, 100, 256, 200)',
        'RANDOM_CUT_FOREST: subSampleSize (256) must be less than timeDecay (200)',
      ],
      [
        'RANDOM_CUT_FOREST(CURSOR, 100, 256, 100000, 31)',
        'RANDOM_CUT_FOREST: shingleSize must be an integer from 1 to 30 (found 31)',
      ],
      [
        'RANDOM_CUT_FOREST(CURSOR, 100, 256, 100000, 1, TRUE)',
        'RANDOM_CUT_FOREST takes CURSOR(...) and at most 4 parameters: numberOfTrees, subSampleSize, timeDecay, shingleSize',
      ],
      [
        "RANDOM_CUT_FOREST_WITH_EXPLANATION(CURSOR, 100, 256, 100000, 1, 'yes')",
        'RANDOM_CUT_FOREST_WITH_EXPLANATION: withDirectionality must be TRUE or FALSE, not VARCHAR(3)',
      ],
      ['RANDOM_CUT_FOREST(CURSOR, NULL)', 'The parameters of RANDOM_CUT_FOREST cannot be NULL'],
      [
        'HOTSPOTS(CURSOR, 1000, 0.2)',
        'HOTSPOTS takes CURSOR(...) and 3 parameters: windowSize, scanRadius, minimumNumberOfPointsInAHotspot',
      ],
      [
        'HOTSPOTS(CURSOR, 99, 0.2, 17)',
        'HOTSPOTS: windowSize must be an integer from 100 to 1000 (found 99)',
      ],
      ['HOTSPOTS(CURSOR, 1000, 0, 17)', 'HOTSPOTS: scanRadius must be greater than 0 (found 0)'],
      ["HOTSPOTS(CURSOR, 1000, 'near', 17)", 'HOTSPOTS: scanRadius must be a number, not VARCHAR(4)'],
      [
        'HOTSPOTS(CURSOR, 200, 0.2, 201)',
        'HOTSPOTS: minimumNumberOfPointsInAHotspot must be an integer from 2 to 200 (found 201)',
      ],
      [
        'HOTSPOTS(CURSOR, 200, 0.2, 1)',
        'HOTSPOTS: minimumNumberOfPointsInAHotspot must be an integer from 2 to 200 (found 1)',
      ],
    ];
    for (const [call, message] of cases) {
      const code = from(call);
      const column = code.split('\n')[1]!.indexOf(call.slice(0, call.indexOf('('))) + 1;
      assert.throws(
        () => bindApplication(code, inputs, { now: () => 0 }),
        (error: unknown) => {
          assert.ok(error instanceof SqlValidationError, String(error));
          assert.equal(error.reason, message, call);
          assert.equal(error.line, 2);
          assert.ok(error.column >= column, `${call}: column ${error.column}`);
          return true;
        },
      );
    }
  });

  it('checks the cursor: a cursor first, numeric columns, no DECIMAL', () => {
    rejects(
      'CREATE STREAM d (x DOUBLE);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM 1.0 FROM TABLE(HOTSPOTS(1000, 0.2, 17));',
      'line 2, column 61: HOTSPOTS needs CURSOR(SELECT STREAM ...) as its first argument',
    );
    rejects(
      from('RANDOM_CUT_FOREST(CURSOR)', 'SELECT STREAM sensor FROM "SOURCE_SQL_STREAM_001"'),
      'line 2, column 79: RANDOM_CUT_FOREST needs at least one numeric column (TINYINT, SMALLINT, INTEGER, BIGINT, REAL or DOUBLE) in its cursor',
    );
    rejects(
      from('HOTSPOTS(CURSOR, 100, 1, 2)', 'SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"'),
      'line 2, column 70: HOTSPOTS does not accept DECIMAL (column AMOUNT); use DOUBLE instead',
    );
    rejects(
      'CREATE STREAM d (x DOUBLE);\nCREATE PUMP p AS INSERT INTO d SELECT STREAM RANDOM_CUT_FOREST(temperature) FROM "SOURCE_SQL_STREAM_001";',
      'line 2, column 46: RANDOM_CUT_FOREST is a table function: use it as FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM ...), ...))',
    );
  });

  it('takes at most 30 numeric columns in RANDOM_CUT_FOREST', () => {
    const many = Array.from({ length: 31 }, (_, i) => `temperature + ${i} AS c${i}`).join(', ');
    rejects(
      from('RANDOM_CUT_FOREST(CURSOR)', `SELECT STREAM ${many} FROM "SOURCE_SQL_STREAM_001"`),
      'line 2, column 79: RANDOM_CUT_FOREST takes at most 30 numeric columns; the cursor has 31',
    );
  });
});
