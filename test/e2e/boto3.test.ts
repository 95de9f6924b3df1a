/**
 * End to end with boto3: runs `test/e2e/boto3_scenario.py` under Debian's `/usr/bin/python3`
 * (package python3-boto3) against a real server process. The script asserts every step itself and
 * prints a JSON summary; this test checks the exit status and the summary again, so a failure shows
 * both the Python traceback and the server's log.
 *
 * boto3 is required, never skipped: if `import boto3` fails, the suite fails saying what to install.
 */
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { boto3Environment, runPython, type Boto3Environment } from '../helpers/boto3.js';
import { repositoryRoot, startServer, removeDataDir, type ServerProcess } from '../helpers/server-process.js';

const scenarioPath = path.join(repositoryRoot, 'test', 'e2e', 'boto3_scenario.py');

describe('boto3 against a real server', () => {
  let server: ServerProcess | undefined;
  let boto3: Boto3Environment | undefined;

  before(async () => {
    boto3 = await boto3Environment();
    // Creates and polls streams faster than AWS's control-plane rates allow.
    server = await startServer({ extraArgs: ['--limits', 'off'] });
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    await boto3?.dispose();
  });

  it('runs the whole scenario: binary round trip, paging, iterator types, errors, delete', async () => {
    assert.ok(server !== undefined);
    const result = await runPython([scenarioPath, server.endpoint], boto3?.env ?? {}, 120_000);
    assert.equal(
      result.code,
      0,
      `boto3 scenario failed (exit ${result.code}):\n${result.stderr}\nserver log:\n${server.stderr()}`,
    );
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(summary, {
      status: 'ACTIVE',
      openShardCount: 2,
      putCount: 33,
      listShardsPages: 2,
      roundTrip: 33,
      atSequenceFirst: 'ordered-1',
      afterSequenceData: ['ordered-2'],
      atTimestampData: ['after-boundary'],
      errors: {
        missingStream: 'ResourceNotFoundException',
        invalidIterator: 'InvalidArgumentException',
        sequenceWithoutNumber: 'InvalidArgumentException',
        missingShard: 'ResourceNotFoundException',
        limitZero: 'ValidationException',
      },
      streamsAfterDelete: [],
    });
  });
});
