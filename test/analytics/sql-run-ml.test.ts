/**
 * The machine-learning functions end to end in the offline runner (`tributary sql run`, a child
 * process), with the developer guide's applications: the heart-rate anomaly example
 * (RANDOM_CUT_FOREST with defaults, two pumps and ORDER BY), the blood-pressure example
 * (RANDOM_CUT_FOREST_WITH_EXPLANATION with directionality) and the hotspots example.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'bin/tributary.js');
const directory = mkdtempSync(join(tmpdir(), 'tributary-sql-run-ml-'));
after(() => rmSync(directory, { recursive: true, force: true }));

interface Output {
  readonly stream: string;
  readonly rowtime: string;
  readonly row: Record<string, unknown>;
}

function uniform(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

const jsonInput = (columns: readonly [string, string][]) => ({
  NamePrefix: 'SOURCE_SQL_STREAM',
  InputSchema: {
    RecordFormat: {
      RecordFormatType: 'JSON',
      MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
    },
    RecordEncoding: 'UTF-8',
    RecordColumns: columns.map(([name, type]) => ({ Name: name, SqlType: type, Mapping: `$.${name}` })),
  },
});

let counter = 0;
function run(application: object, records: readonly object[]): Promise<Output[]> {
  const name = `ml-${counter++}`;
  const app = join(directory, `${name}.json`);
  const input = join(directory, `${name}.jsonl`);
  const output = join(directory, `${name}.out.jsonl`);
  writeFileSync(app, JSON.stringify({ ApplicationName: name, ...application }));
  const start = Date.parse('2026-12-07T10:00:00Z');
  const lines = records.map((data, i) => JSON.stringify({ rowtime: start + i * 10, data }));
  lines.push(JSON.stringify({ end: start + records.length * 10 + 1000 }));
  writeFileSync(input, lines.join('\n') + '\n');
  const args = [bin, 'sql', 'run', '--application', app, '--input', input, '--output', output];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, timeout: 120_000 }, (error, _stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`tributary sql run failed: ${stderr}`));
        return;
      }
      resolve(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Output),
      );
    });
  });
}

describe('tributary sql run with the machine-learning functions', () => {
  it('RANDOM_CUT_FOREST (the heart-rate example): the one HIGH rate outscores every NORMAL one', async () => {
    const random = uniform(3);
    const records = Array.from({ length: 400 }, (_, i) =>
      i === 350
        ? { heartRate: 190, rateType: 'HIGH' }
        : { heartRate: 60 + Math.floor(random() * 40), rateType: 'NORMAL' },
    );
    const out = await run(
      {
        Inputs: [
          jsonInput([
            ['heartRate', 'INTEGER'],
            ['rateType', 'VARCHAR(20)'],
          ]),
        ],
        ApplicationCode: `--Creates a temporary stream.
CREATE OR REPLACE STREAM "TEMP_STREAM" (
        "heartRate"        INTEGER,
        "rateType"         varchar(20),
        "ANOMALY_SCORE"    DOUBLE);

--Creates another stream for application output.
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
        "heartRate"        INTEGER,
        "rateType"         varchar(20),
        "ANOMALY_SCORE"    DOUBLE);

-- Compute an anomaly score for each record in the input stream
-- using Random Cut Forest
CREATE OR REPLACE PUMP "STREAM_PUMP" AS
   INSERT INTO "TEMP_STREAM"
      SELECT STREAM "heartRate", "rateType", ANOMALY_SCORE
      FROM TABLE(RANDOM_CUT_FOREST(
              CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001")));

-- Sort records by descending anomaly score, insert into output stream
CREATE OR REPLACE PUMP "OUTPUT_PUMP" AS
   INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM * FROM "TEMP_STREAM"
      ORDER BY FLOOR("TEMP_STREAM".ROWTIME TO SECOND), ANOMALY_SCORE DESC;`,
      },
      records,
    );
    const rows = out.filter((o) => o.stream === 'DESTINATION_SQL_STREAM').map((o) => o.row);
    assert.equal(rows.length, records.length);
    assert.equal(rows.filter((r) => r.ANOMALY_SCORE === 0).length, 256);
    const top = [...rows].sort((a, b) => (b.ANOMALY_SCORE as number) - (a.ANOMALY_SCORE as number))[0]!;
    assert.deepEqual([top.heartRate, top.rateType], [190, 'HIGH']);
    // ORDER BY within each second: the output is sorted by score, highest first.
    const second = out.filter(
      (o) => o.stream === 'DESTINATION_SQL_STREAM' && o.rowtime.startsWith('2026-12-07T10:00:03'),
    );
    const scores = second.map((o) => o.row.ANOMALY_SCORE as number);
    assert.ok(scores.length > 50);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
  });

  it('RANDOM_CUT_FOREST_WITH_EXPLANATION (the blood-pressure example): a high diastolic reading is explained', async () => {
    const random = uniform(5);
    const records = Array.from({ length: 360 }, (_, i) =>
      i === 330
        ? { Systolic: 110, Diastolic: 140, BloodPressureLevel: 'HIGH' }
        : {
            Systolic: 90 + Math.floor(random() * 30),
            Diastolic: 60 + Math.floor(random() * 20),
            BloodPressureLevel: 'NORMAL',
          },
    );
    const out = await run(
      {
        Inputs: [
          jsonInput([
            ['Systolic', 'INTEGER'],
            ['Diastolic', 'INTEGER'],
            ['BloodPressureLevel', 'VARCHAR(20)'],
          ]),
        ],
        ApplicationCode: `CREATE OR REPLACE STREAM "TEMP_STREAM" (
        "Systolic"                  INTEGER,
        "Diastolic"                 INTEGER,
        "BloodPressureLevel"        varchar(20),
        "ANOMALY_SCORE"             DOUBLE,
        "ANOMALY_EXPLANATION"       varchar(512));
CREATE OR REPLACE PUMP "STREAM_PUMP" AS
   INSERT INTO "TEMP_STREAM"
      SELECT STREAM "Systolic", "Diastolic", "BloodPressureLevel", ANOMALY_SCORE, ANOMALY_EXPLANATION
      FROM TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(
              CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 100, 256, 100000, 1, true));`,
      },
      records,
    );
    const rows = out.filter((o) => o.stream === 'TEMP_STREAM').map((o) => o.row);
    assert.equal(rows.length, records.length);
    const top = [...rows].sort((a, b) => (b.ANOMALY_SCORE as number) - (a.ANOMALY_SCORE as number))[0]!;
    assert.equal(top.BloodPressureLevel, 'HIGH');
    const explanation = JSON.parse(top.ANOMALY_EXPLANATION as string) as Record<
      string,
      { DIRECTION: string; STRENGTH: string; ATTRIBUTION_SCORE: string }
    >;
    assert.deepEqual(Object.keys(explanation), ['Systolic', 'Diastolic']);
    assert.equal(explanation.Diastolic!.DIRECTION, 'HIGH');
    assert.ok(
      Number(explanation.Diastolic!.ATTRIBUTION_SCORE) > Number(explanation.Systolic!.ATTRIBUTION_SCORE),
    );
    assert.ok(Number(explanation.Diastolic!.STRENGTH) > Number(explanation.Systolic!.STRENGTH));
  });

  it('HOTSPOTS (the hotspots example): the last result boxes the planted hotspot', async () => {
    const random = uniform(9);
    const records = Array.from({ length: 600 }, (_, i) =>
      i % 4 === 0
        ? { x: 6 + random() * 0.5, y: 2 + random() * 0.5, is_hot: 'Y' }
        : { x: random() * 10, y: random() * 10, is_hot: 'N' },
    );
    const out = await run(
      {
        Inputs: [
          jsonInput([
            ['x', 'DOUBLE'],
            ['y', 'DOUBLE'],
            ['is_hot', 'VARCHAR(4)'],
          ]),
        ],
        ApplicationCode: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (
    "x" DOUBLE,
    "y" DOUBLE,
    "is_hot" VARCHAR(4),
    HOTSPOTS_RESULT VARCHAR(10000)
);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS
    INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT "x", "y", "is_hot", "HOTSPOTS_RESULT"
    FROM TABLE (
        HOTSPOTS(
            CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"),
            1000,
            0.2,
            17)
    );`,
      },
      records,
    );
    const rows = out.filter((o) => o.stream === 'DESTINATION_SQL_STREAM').map((o) => o.row);
    assert.equal(rows.length, records.length);
    const result = JSON.parse(rows[rows.length - 1]!.HOTSPOTS_RESULT as string) as {
      hotspots: { density: number; minValues: number[]; maxValues: number[] }[];
    };
    const [top] = result.hotspots;
    assert.ok(top !== undefined && top.density >= 20, JSON.stringify(result));
    assert.ok(top.minValues[0]! >= 5.8 && top.maxValues[0]! <= 6.7, JSON.stringify(top));
    assert.ok(top.minValues[1]! >= 1.8 && top.maxValues[1]! <= 2.7, JSON.stringify(top));
  });
});
