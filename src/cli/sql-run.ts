/**
 * `tributary sql run`: the offline runner of Kinesis Data Analytics SQL applications. Reads a
 * CreateApplication request body (app.json), binds its code (or --sql FILE) against the inputs'
 * schemas and the reference tables (S3 objects read from --s3-dir DIR/<bucket>/<key>), then feeds
 * the JSON lines of --input through the engine and writes every row inserted into an
 * in-application stream (error_stream included) as a JSON line {stream, rowtime, row}.
 *
 * Input lines: {"rowtime": T, "data": RECORD[, "arrival": T][, "stream": NAME]}, {"bound": T},
 * {"end": T}; T is ISO-8601 UTC or epoch milliseconds. Exit codes: 0 done, 1 the application is
 * invalid (CodeValidationException) or a file is unreadable, 2 bad usage or a bad input line.
 */
import { createReadStream, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  SqlEngine,
  ProcessingClock,
  errorStreamColumns,
  errorStreamName,
} from '../analytics/exec/sql-engine.js';
import { SqlRuntimeError } from '../analytics/functions/sql-runtime-error.js';
import { jsonValue, parseTimestampText } from '../analytics/functions/values.js';
import {
  ApplicationConfigError,
  applicationInputs,
  readApplicationConfig,
  type ApplicationConfig,
} from '../analytics/input/application-config.js';
import { bindApplication, type StreamColumn } from '../analytics/plan/bind-application.js';
import type { Row } from '../analytics/plan/bound-expression.js';
import { SqlValidationError } from '../analytics/plan/sql-validation-error.js';
import { SqlSyntaxError } from '../analytics/sql/sql-syntax-error.js';

export const sqlHelp = `Usage: tributary sql run --application app.json --input rows.jsonl [options]

Runs a Kinesis Data Analytics SQL application offline, without a server.

  --application FILE  a CreateApplication request body: ApplicationCode, Inputs (InputSchema with
                      RecordFormat JSON or CSV and RecordColumns), ReferenceDataSources
  --input FILE        JSON lines: {"rowtime": T, "data": RECORD, "arrival": T, "stream": NAME},
                      {"bound": T} (no later row is earlier than T) or {"end": T} (close every
                      window ending at or before T, release the rows T-sorts and GROUP_RANK
                      still hold, then stop); T is ISO-8601 UTC or epoch ms
  --sql FILE          application code to use instead of ApplicationCode
  --s3-dir DIR        where reference data objects are read from: DIR/<bucket>/<key>
  --output FILE       where output goes (default: standard output): one JSON line
                      {"stream", "rowtime", "row"} per row inserted into an in-application stream
  --help              show this help
`;

class UsageError extends Error {}

function parseTime(value: unknown, line: number, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? Date.parse(value) : (parseTimestampText(value) ?? NaN);
    if (!Number.isNaN(iso)) return iso;
  }
  throw new UsageError(
    `line ${line}: "${field}" must be an ISO-8601 UTC time or epoch milliseconds, not ${JSON.stringify(value)}`,
  );
}

function loadReferenceRows(
  config: ApplicationConfig,
  s3Dir: string | undefined,
  report: (table: string, message: string, data: string) => void,
): Map<string, Row[]> {
  const tables = new Map<string, Row[]>();
  for (const reference of config.references) {
    if (s3Dir === undefined)
      throw new ApplicationConfigError(
        `reference table ${reference.table.name} needs --s3-dir (its object is s3://${reference.bucket}/${reference.key})`,
      );
    const path = join(s3Dir, reference.bucket, reference.key);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ApplicationConfigError(`cannot read reference data ${path}: ${(error as Error).message}`);
    }
    let records: unknown[];
    const trimmed = content.trim();
    const isCsv = !trimmed.startsWith('{') && !trimmed.startsWith('[');
    if (isCsv) records = [content];
    else {
      try {
        const parsed = JSON.parse(trimmed) as unknown;
        records = Array.isArray(parsed) ? parsed : [parsed];
      } catch {
        records = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
      }
    }
    const rows: Row[] = [];
    for (const record of records) {
      try {
        rows.push(...reference.mapper(record));
      } catch (error) {
        report(
          reference.table.name,
          (error as Error).message,
          typeof record === 'string' ? record : JSON.stringify(record),
        );
      }
    }
    tables.set(reference.table.name, rows);
  }
  return tables;
}

export async function sqlCommand(argv: readonly string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === 'help') {
    process.stdout.write(sqlHelp);
    return 0;
  }
  if (sub !== 'run') {
    process.stderr.write(`tributary sql: unknown command "${sub}"\n\n${sqlHelp}`);
    return 2;
  }
  let values;
  try {
    values = parseArgs({
      args: [...rest],
      options: {
        application: { type: 'string' },
        input: { type: 'string' },
        sql: { type: 'string' },
        's3-dir': { type: 'string' },
        output: { type: 'string' },
        help: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`tributary sql run: ${(error as Error).message}\n\n${sqlHelp}`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(sqlHelp);
    return 0;
  }
  if (values.application === undefined || values.input === undefined) {
    process.stderr.write(`tributary sql run: --application and --input are required\n\n${sqlHelp}`);
    return 2;
  }
  try {
    return await run(values.application, values.input, values.sql, values['s3-dir'], values.output);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tributary sql run: ${error.message}\n`);
      return 2;
    }
    if (error instanceof SqlValidationError || error instanceof SqlSyntaxError) {
      process.stderr.write(`tributary sql run: CodeValidationException: ${error.message}\n`);
      return 1;
    }
    if (error instanceof ApplicationConfigError) {
      process.stderr.write(`tributary sql run: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function run(
  applicationFile: string,
  inputFile: string,
  sqlFile: string | undefined,
  s3Dir: string | undefined,
  outputFile: string | undefined,
): Promise<number> {
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(applicationFile, 'utf8'));
  } catch (error) {
    throw new ApplicationConfigError(`cannot read ${applicationFile}: ${(error as Error).message}`);
  }
  const config = readApplicationConfig(body);
  let code = config.code;
  if (sqlFile !== undefined) {
    try {
      code = readFileSync(sqlFile, 'utf8');
    } catch (error) {
      throw new ApplicationConfigError(`cannot read ${sqlFile}: ${(error as Error).message}`);
    }
  }
  if (code === null)
    throw new ApplicationConfigError('the application has no ApplicationCode (give --sql FILE)');
  if (config.inputs.length === 0) throw new ApplicationConfigError('the application has no Inputs');
  const clock = new ProcessingClock();
  const plan = bindApplication(code, applicationInputs(config), clock);

  const output = outputFile === undefined ? 1 : openSync(outputFile, 'w');
  let buffer = '';
  const flush = (): void => {
    if (buffer.length > 0) writeSync(output, buffer);
    buffer = '';
  };
  const columnsOf = new Map<string, readonly StreamColumn[]>([[errorStreamName, errorStreamColumns]]);
  for (const s of plan.streams.values()) columnsOf.set(s.name, s.columns);
  const onRow = (stream: string, rowtime: number, row: Row): void => {
    const columns = columnsOf.get(stream)!;
    const record: Record<string, unknown> = {};
    columns.forEach((c, i) => (record[c.name] = jsonValue(row[i] ?? null, c.type)));
    buffer += `${JSON.stringify({ stream, rowtime: new Date(rowtime).toISOString(), row: record })}\n`;
    if (buffer.length > 1 << 16) flush();
  };
  const pending: [string, string, string][] = [];
  const tables = loadReferenceRows(config, s3Dir, (table, message, data) =>
    pending.push([table, message, data]),
  );
  const engine = new SqlEngine(plan, { tables, onRow, clock });
  for (const [table, message, data] of pending)
    engine.reportError('ReferenceDataError', `${table}: ${message}`, data, 0, null);

  const inputs = new Map(config.inputs.map((i) => [i.name, i]));
  const defaultInput = config.inputs[0]!;
  const lines = createInterface({ input: createReadStream(inputFile), crlfDelay: Infinity });
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber++;
      if (text.trim() === '') continue;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw new UsageError(`line ${lineNumber}: not JSON: ${(error as Error).message}`);
      }
      if (line === null || typeof line !== 'object')
        throw new UsageError(`line ${lineNumber}: expected an object`);
      if ('end' in line) {
        engine.end(parseTime(line.end, lineNumber, 'end'));
        break;
      }
      if ('bound' in line) {
        engine.advance(parseTime(line.bound, lineNumber, 'bound'));
        continue;
      }
      if (!('rowtime' in line) || !('data' in line))
        throw new UsageError(`line ${lineNumber}: expected {"rowtime", "data"}, {"bound"} or {"end"}`);
      const rowtime = parseTime(line.rowtime, lineNumber, 'rowtime');
      const arrival = line.arrival === undefined ? rowtime : parseTime(line.arrival, lineNumber, 'arrival');
      const input = line.stream === undefined ? defaultInput : inputs.get(String(line.stream));
      if (input === undefined)
        throw new UsageError(
          `line ${lineNumber}: no input stream ${JSON.stringify(line.stream)} (inputs: ${[...inputs.keys()].join(', ')})`,
        );
      let rows: unknown[][];
      try {
        rows = input.mapper(line.data);
      } catch (error) {
        if (!(error instanceof SqlRuntimeError) && !(error instanceof SyntaxError)) throw error;
        engine.advance(rowtime);
        engine.reportError(
          error instanceof SqlRuntimeError ? error.errorName : 'ParseError',
          error.message,
          typeof line.data === 'string' ? line.data : JSON.stringify(line.data),
          rowtime,
          null,
        );
        continue;
      }
      for (const row of rows) engine.push(input.name, rowtime, [...row, arrival]);
    }
  } finally {
    lines.close();
    flush();
    if (output !== 1) closeSync(output);
  }
  return 0;
}
