/**
 * The Glue Data Catalog subset end to end with the AWS CLI v2 (`/usr/bin/aws glue ...`) against
 * a real server process: databases and tables through their lifecycle, table versions, paging,
 * AWS's errors, persistence across a restart, and `readTableColumns` (what Firehose's format
 * conversion reads) over the same durable catalog.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FileCatalog } from '../../src/catalog/file-catalog.js';
import { ServiceError } from '../../src/core/errors.js';
import { readTableColumns } from '../../src/glue/read-table-columns.js';
import { awsClientEnvironment } from '../helpers/aws-environment.js';
import { makeDataDir, removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const awsCliPath = '/usr/bin/aws';

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(awsCliPath, [...args], { env, timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
      reject(new Error(`${awsCliPath} ${args.join(' ')} failed to run: ${error.message}\n${stderr}`));
    });
  });
}

const columns = [
  { Name: 'ticker_symbol', Type: 'string' },
  { Name: 'price', Type: 'decimal(10,2)' },
  { Name: 'ts', Type: 'timestamp', Comment: 'event time' },
];

describe('Glue Data Catalog with the AWS CLI', () => {
  let server: ServerProcess | undefined;
  let dataDir = '';
  let homeDir = '';
  let env: NodeJS.ProcessEnv = {};

  before(async () => {
    dataDir = await makeDataDir();
    homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-glue-home-'));
    env = awsClientEnvironment(homeDir);
    server = await startServer({ dataDir });
  });
  after(async () => {
    await server?.stop();
    await removeDataDir(dataDir);
    await rm(homeDir, { recursive: true, force: true });
  });

  async function glueResult(...args: string[]): Promise<CliResult> {
    assert.ok(server !== undefined);
    return runCli(['glue', ...args, '--endpoint-url', server.endpoint, '--output', 'json'], env);
  }
  async function glue(...args: string[]): Promise<Record<string, unknown>> {
    const result = await glueResult(...args);
    assert.equal(result.code, 0, `aws glue ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
  }
  async function glueError(...args: string[]): Promise<string> {
    const result = await glueResult(...args);
    assert.notEqual(result.code, 0, `expected aws glue ${args.join(' ')} to fail`);
    return result.stderr.trim();
  }

  it('creates, reads, lists, updates and deletes databases and tables', async () => {
    await glue(
      'create-database',
      '--database-input',
      JSON.stringify({ Name: 'Stocks', Description: 'ticks' }),
    );
    const database = (await glue('get-database', '--name', 'stocks'))['Database'] as Record<string, unknown>;
    assert.equal(database['Name'], 'stocks');
    assert.equal(database['Description'], 'ticks');
    assert.equal(database['CatalogId'], '000000000000');
    assert.equal(typeof database['CreateTime'], 'string');

    const tableInput = {
      Name: 'Ticks',
      TableType: 'EXTERNAL_TABLE',
      Parameters: { classification: 'parquet' },
      StorageDescriptor: {
        Columns: columns,
        Location: 's3://test-firehose01/ticks/',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      },
      PartitionKeys: [{ Name: 'dt', Type: 'string' }],
    };
    await glue('create-table', '--database-name', 'STOCKS', '--table-input', JSON.stringify(tableInput));
    const table = (await glue('get-table', '--database-name', 'stocks', '--name', 'ticks'))[
      'Table'
    ] as Record<string, unknown>;
    assert.equal(table['Name'], 'ticks');
    assert.equal(table['DatabaseName'], 'stocks');
    assert.equal(table['VersionId'], '1');
    assert.deepEqual(table['StorageDescriptor'], tableInput.StorageDescriptor);
    assert.deepEqual(table['PartitionKeys'], tableInput.PartitionKeys);
    assert.equal(table['TableType'], 'EXTERNAL_TABLE');

    for (const name of ['alpha', 'beta', 'gamma']) {
      await glue(
        'create-table',
        '--database-name',
        'stocks',
        '--table-input',
        JSON.stringify({ Name: name }),
      );
    }
    const pageOne = await glue(
      'get-tables',
      '--database-name',
      'stocks',
      '--max-results',
      '2',
      '--no-paginate',
    );
    assert.deepEqual(
      (pageOne['TableList'] as { Name: string }[]).map((entry) => entry.Name),
      ['alpha', 'beta'],
    );
    assert.equal(typeof pageOne['NextToken'], 'string');
    const all = await glue(
      'get-tables',
      '--database-name',
      'stocks',
      '--max-items',
      '10',
      '--page-size',
      '1',
    );
    assert.deepEqual(
      (all['TableList'] as { Name: string }[]).map((entry) => entry.Name),
      ['alpha', 'beta', 'gamma', 'ticks'],
    );
    const filtered = await glue('get-tables', '--database-name', 'stocks', '--expression', 'al.*|ti.*');
    assert.deepEqual(
      (filtered['TableList'] as { Name: string }[]).map((entry) => entry.Name),
      ['alpha', 'ticks'],
    );

    const updated = {
      ...tableInput,
      StorageDescriptor: {
        ...tableInput.StorageDescriptor,
        Columns: [...columns, { Name: 'volume', Type: 'bigint' }],
      },
    };
    await glue(
      'update-table',
      '--database-name',
      'stocks',
      '--table-input',
      JSON.stringify(updated),
      '--version-id',
      '1',
    );
    const after = (await glue('get-table', '--database-name', 'stocks', '--name', 'ticks'))[
      'Table'
    ] as Record<string, unknown>;
    assert.equal(after['VersionId'], '2');
    assert.equal((after['StorageDescriptor'] as { Columns: unknown[] }).Columns.length, 4);
    assert.match(
      await glueError(
        'update-table',
        '--database-name',
        'stocks',
        '--table-input',
        JSON.stringify(updated),
        '--version-id',
        '1',
      ),
      /ConcurrentModificationException/,
    );

    await glue('delete-table', '--database-name', 'stocks', '--name', 'alpha');
    const databases = await glue('get-databases');
    assert.deepEqual(
      (databases['DatabaseList'] as { Name: string }[]).map((entry) => entry.Name),
      ['stocks'],
    );
  });

  it("answers AWS's errors", async () => {
    assert.match(
      await glueError('get-database', '--name', 'nope'),
      /\(EntityNotFoundException\) when calling the GetDatabase operation(?: \(reached max retries: \d+\))?: Database nope not found\./,
    );
    assert.match(
      await glueError('get-table', '--database-name', 'stocks', '--name', 'nope'),
      /\(EntityNotFoundException\) when calling the GetTable operation(?: \(reached max retries: \d+\))?: Table nope not found\./,
    );
    assert.match(
      await glueError('create-table', '--database-name', 'nope', '--table-input', '{"Name":"t"}'),
      /\(EntityNotFoundException\) when calling the CreateTable operation(?: \(reached max retries: \d+\))?: Database nope not found\./,
    );
    assert.match(
      await glueError('create-database', '--database-input', '{"Name":"stocks"}'),
      /\(AlreadyExistsException\) when calling the CreateDatabase operation(?: \(reached max retries: \d+\))?: Database already exists\./,
    );
    assert.match(
      await glueError('create-table', '--database-name', 'stocks', '--table-input', '{"Name":"TICKS"}'),
      /\(AlreadyExistsException\) when calling the CreateTable operation(?: \(reached max retries: \d+\))?: Table already exists\./,
    );
    assert.match(
      await glueError('create-database', '--database-input', JSON.stringify({ Name: 'x'.repeat(256) })),
      /\(ValidationException\) when calling the CreateDatabase operation(?: \(reached max retries: \d+\))?: 1 validation error detected: Value '.*' at 'databaseInput\.name' failed to satisfy constraint: Member must have length less than or equal to 255/,
    );
    assert.match(
      await glueError('get-tables', '--database-name', 'stocks', '--expression', '(unclosed'),
      /\(InvalidInputException\) when calling the GetTables operation/,
    );
  });

  it('keeps the catalog across a restart, and readTableColumns reads it with versions', async () => {
    assert.ok(server !== undefined);
    await server.stop();
    server = await startServer({ dataDir });
    const table = (await glue('get-table', '--database-name', 'stocks', '--name', 'ticks'))[
      'Table'
    ] as Record<string, unknown>;
    assert.equal(table['VersionId'], '2');
    await server.stop();

    const catalog = new FileCatalog({ directory: path.join(dataDir, 'catalog') });
    await catalog.open();
    try {
      const query = {
        accountId: '000000000000',
        region: 'us-east-1',
        databaseName: 'stocks',
        tableName: 'ticks',
      };
      assert.deepEqual(await readTableColumns(catalog, { ...query, versionId: '1' }), columns);
      assert.deepEqual(await readTableColumns(catalog, { ...query, versionId: 'LATEST' }), [
        ...columns,
        { Name: 'volume', Type: 'bigint' },
      ]);
      await assert.rejects(readTableColumns(catalog, { ...query, versionId: '7' }), (error: unknown) => {
        return error instanceof ServiceError && error.code === 'EntityNotFoundException';
      });
      await assert.rejects(
        readTableColumns(catalog, { ...query, tableName: 'gone' }),
        /Table gone not found\./,
      );
    } finally {
      await catalog.close();
    }
    server = await startServer({ dataDir });
    await glue('delete-database', '--name', 'stocks');
    assert.match(
      await glueError('get-table', '--database-name', 'stocks', '--name', 'ticks'),
      /Database stocks not found/,
    );
  });
});
