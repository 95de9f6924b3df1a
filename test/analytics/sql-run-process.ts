/**
 * Runs application code through the offline runner (`tributary sql run`) as a child process: one
 * JSON input (`SOURCE_SQL_STREAM`) with the given columns, the given input lines, and the output
 * lines as `[stream, rowtime, ...column values]`. Shared by the tests of documented examples.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'tributary-sql-docs-'));
after(() => rmSync(directory, { recursive: true, force: true }));

export interface Column {
  readonly Name: string;
  readonly SqlType: string;
  readonly Mapping: string;
}

let counter = 0;
export async function runSql(
  code: string,
  columns: readonly Column[],
  lines: readonly object[],
): Promise<unknown[][]> {
  const name = `example-${counter++}`;
  const app = join(directory, `${name}.json`);
  const input = join(directory, `${name}.jsonl`);
  writeFileSync(
    app,
    JSON.stringify({
      ApplicationName: name,
      ApplicationCode: code,
      Inputs: [
        {
          NamePrefix: 'SOURCE_SQL_STREAM',
          InputSchema: {
            RecordFormat: {
              RecordFormatType: 'JSON',
              MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
            },
            RecordEncoding: 'UTF-8',
            RecordColumns: columns,
          },
        },
      ],
    }),
  );
  writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [join(root, 'bin/tributary.js'), 'sql', 'run', '--application', app, '--input', input],
      { cwd: root, timeout: 60_000 },
      (error, out, stderr) =>
        error === null && stderr === '' ? resolve(out) : reject(error ?? new Error(stderr)),
    );
  });
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { stream: string; rowtime: string; row: Record<string, unknown> })
    .map((o) => [o.stream, o.rowtime, ...Object.values(o.row)]);
}
