/**
 * One load of an intermediate object into PostgreSQL, standing in for Redshift's
 * `COPY table (columns) FROM 's3://bucket/key' … options`: the object's bytes (gunzipped with
 * `GZIP`, header lines skipped with `IGNOREHEADER`) are streamed into
 * `COPY table (columns) FROM STDIN WITH (…)` through `pg` and `pg-copy-streams`. With
 * `JSON 'auto'` each JSON object of the object (concatenated or one a line, as Redshift takes them)
 * becomes one CSV row of the columns: a key matching a column name gives its value (objects and
 * arrays as JSON text), a missing key or `null` gives NULL.
 *
 * The connection comes from ClusterJDBCURL: `jdbc:redshift://host:port/db` and
 * `jdbc:postgresql://host:port/db` alike; a host ending in `.localhost` is 127.0.0.1 (RFC 6761),
 * since the URL's pattern requires a `.redshift.` host name. One connection per load, closed after.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import type pg from 'pg';
import { postgresCopyOptions, type CopyPlan } from './copy-options.js';

export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

const jdbcPattern = /^jdbc:(redshift|postgresql):\/\/([^:/]+):(\d{1,5})\/([A-Za-z0-9_$-]+)/;

/** The PostgreSQL server a ClusterJDBCURL names; undefined when it is not a JDBC URL of that form. */
export function postgresTargetOf(clusterJdbcUrl: string): PostgresTarget | undefined {
  const match = jdbcPattern.exec(clusterJdbcUrl);
  if (match === null) return undefined;
  const [, , host, port, database] = match as unknown as [string, string, string, string, string];
  return {
    host: host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : host,
    port: Number(port),
    database,
  };
}

const identifierPart = '(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")';
const tableNamePattern = new RegExp(`^${identifierPart}(?:\\.${identifierPart})?$`);
const columnPattern = new RegExp(`^${identifierPart}$`);

/** DataTableName as SQL (an identifier, optionally schema-qualified); undefined when it is not one. */
export function tableNameSql(name: string): string | undefined {
  const trimmed = name.trim();
  return tableNamePattern.test(trimmed) ? trimmed : undefined;
}

/** DataTableColumns (comma-separated identifiers) as SQL names; undefined when one is not. */
export function columnNames(columns: string): string[] | undefined {
  const names = columns.split(',').map((column) => column.trim());
  return names.every((name) => columnPattern.test(name)) ? names : undefined;
}

/** The data's name as a JSON key matches it: unquoted identifiers fold to lower case, as in SQL. */
function columnKey(column: string): string {
  return column.startsWith('"') ? column.slice(1, -1).replace(/""/g, '"') : column.toLowerCase();
}

export interface CopyRequest {
  readonly target: PostgresTarget;
  readonly user: string;
  readonly password: string;
  readonly table: string;
  /** Column names as SQL; empty: every column of the table, in order. */
  readonly columns: readonly string[];
  readonly plan: CopyPlan;
  readonly body: Buffer;
  readonly timeoutMs: number;
}

/** Runs the COPY; resolves with the rows loaded. Rejects with PostgreSQL's error. */
export async function copyIntoPostgres(request: CopyRequest): Promise<number> {
  // Imported here: a server with no Redshift destination never loads the PostgreSQL client.
  const [{ default: postgres }, { default: copyStreams }] = await Promise.all([
    import('pg'),
    import('pg-copy-streams'),
  ]);
  const client = new postgres.Client({
    host: request.target.host,
    port: request.target.port,
    database: request.target.database,
    user: request.user,
    password: request.password,
    connectionTimeoutMillis: request.timeoutMs,
    statement_timeout: request.timeoutMs,
    application_name: 'tributary-firehose',
  });
  await client.connect();
  try {
    let columns = [...request.columns];
    if (columns.length === 0 && request.plan.format === 'json')
      columns = await tableColumns(client, request.table);
    let data = request.plan.gzip ? gunzipSync(request.body) : request.body;
    data = skipLines(data, request.plan.ignoreHeaderLines);
    if (request.plan.format === 'json')
      data = jsonToCsv(data, columns.map(columnKey), request.plan.ignoreCase);
    const columnList = columns.length === 0 ? '' : ` (${columns.join(', ')})`;
    const stream = client.query(
      copyStreams.from(
        `COPY ${request.table}${columnList} FROM STDIN WITH (${postgresCopyOptions(request.plan)})`,
      ),
    );
    await pipeline(Readable.from([data]), stream);
    return stream.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function tableColumns(client: pg.Client, table: string): Promise<string[]> {
  const answer = await client.query<{ name: string }>(
    `SELECT quote_ident(attname) AS name FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return answer.rows.map((row) => row.name);
}

function skipLines(data: Buffer, lines: number): Buffer {
  let start = 0;
  for (let skipped = 0; skipped < lines && start < data.length; skipped++) {
    const newline = data.indexOf(0x0a, start);
    start = newline === -1 ? data.length : newline + 1;
  }
  return start === 0 ? data : data.subarray(start);
}

/**
 * JSON objects (whitespace-separated or not) to CSV rows of `keys`. A value that is not an object,
 * or text that is not JSON, fails the load, as Redshift's COPY fails on it.
 */
export function jsonToCsv(data: Buffer, keys: readonly string[], ignoreCase: boolean): Buffer {
  const rows: string[] = [];
  for (const text of splitJsonValues(data.toString('utf8'))) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new Error(`Invalid JSON in the data: ${(error as Error).message}`, { cause: error });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error('Invalid JSONPath format: the data holds a JSON value that is not an object.');
    }
    const object = value as Record<string, unknown>;
    const lookup = ignoreCase
      ? new Map(Object.entries(object).map(([key, field]) => [key.toLowerCase(), field]))
      : new Map(Object.entries(object));
    rows.push(
      keys
        .map((key) => {
          const field = lookup.get(ignoreCase ? key.toLowerCase() : key);
          if (field === undefined || field === null) return '';
          const textValue = typeof field === 'object' ? JSON.stringify(field) : String(field);
          return `"${textValue.replace(/"/g, '""')}"`;
        })
        .join(','),
    );
  }
  return Buffer.from(rows.length === 0 ? '' : `${rows.join('\n')}\n`);
}

/** The top-level JSON texts of a concatenation (`{…}{…}`, `{…}\n{…}`). */
function splitJsonValues(text: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index] as string;
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') {
        inString = false;
        if (depth === 0) {
          values.push(text.slice(start, index + 1));
          start = -1;
        }
      }
      continue;
    }
    if (character === '"') {
      inString = true;
      if (start === -1) start = index;
    } else if (character === '{' || character === '[') {
      if (depth === 0) start = index;
      depth++;
    } else if (character === '}' || character === ']') {
      depth--;
      if (depth === 0) {
        values.push(text.slice(start, index + 1));
        start = -1;
      }
    } else if (depth === 0 && !/\s/.test(character)) {
      // A scalar at the top level: take it to the next whitespace so JSON.parse reports it.
      const end = text.slice(index).search(/\s|\{|\[/);
      const stop = end === -1 ? text.length : index + end;
      values.push(text.slice(index, stop));
      index = stop - 1;
    }
  }
  if (depth !== 0 || (inString && start !== -1)) values.push(text.slice(start));
  return values;
}
