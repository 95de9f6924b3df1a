/**
 * Firehose end to end with boto3: runs `test/e2e/boto3_firehose.py` under Debian's
 * `/usr/bin/python3` (package python3-boto3) against a real server process, which checks every
 * step itself and prints a JSON summary checked again here.
 *
 * boto3 is required, never skipped: if `import boto3` fails, the suite fails saying what to install.
 */
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { boto3Environment, runPython, type Boto3Environment } from '../helpers/boto3.js';
import { repositoryRoot, startServer, removeDataDir, type ServerProcess } from '../helpers/server-process.js';

const scenarioPath = path.join(repositoryRoot, 'test', 'e2e', 'boto3_firehose.py');

describe('boto3 Firehose scenario against a real server', () => {
  let server: ServerProcess | undefined;
  let boto3: Boto3Environment | undefined;

  before(async () => {
    boto3 = await boto3Environment();
    server = await startServer({ extraArgs: ['--firehose-buffer-interval-ms-max', '1000'] });
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    await boto3?.dispose();
  });

  it('creates, puts, delivers GZIP objects, answers errors and deletes', async () => {
    assert.ok(server !== undefined);
    const result = await runPython(
      [scenarioPath, server.endpoint, server.dataDir],
      boto3?.env ?? {},
      120_000,
    );
    assert.equal(
      result.code,
      0,
      `boto3 Firehose scenario failed (exit ${result.code}):\n${result.stderr}\nserver log:\n${server.stderr()}`,
    );
    assert.deepEqual(JSON.parse(result.stdout), {
      delivered: 251,
      tags: [{ Key: 'owner', Value: 'boto3' }],
      errors: {
        missing: 'ResourceNotFoundException',
        duplicate: 'ResourceInUseException',
        staleVersion: 'ConcurrentModificationException',
        orc: {
          code: 'InvalidArgumentException',
          message: 'OrcSerDe is not supported yet by this Firehose endpoint: use ParquetSerDe.',
          status: 400,
        },
      },
      afterDelete: [],
    });
  });
});
