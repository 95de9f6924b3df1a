/**
 * Enhanced fan-out with boto3: runs `test/e2e/boto3_fan_out.py` under Debian's `/usr/bin/python3`
 * against a real server process. boto3 reads SubscribeToShard over HTTP/1.1; the script asserts
 * every step and prints a JSON summary that this test checks again. boto3 is required, never
 * skipped.
 */
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { boto3Environment, runPython, type Boto3Environment } from '../helpers/boto3.js';
import { repositoryRoot, startServer, removeDataDir, type ServerProcess } from '../helpers/server-process.js';

const scenarioPath = path.join(repositoryRoot, 'test', 'e2e', 'boto3_fan_out.py');

describe('boto3 enhanced fan-out against a real server', () => {
  let server: ServerProcess | undefined;
  let boto3: Boto3Environment | undefined;

  before(async () => {
    boto3 = await boto3Environment();
    // Transitions of 1 s (not the tests' usual 50 ms), so that the scenario sees DELETING.
    server = await startServer({ extraArgs: ['--transition-delay-ms', '1000'] });
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    await boto3?.dispose();
  });

  it('registers, lists, subscribes and resumes after the continuation, deregisters', async () => {
    assert.ok(server !== undefined);
    const result = await runPython([scenarioPath, server.endpoint], boto3?.env ?? {}, 120_000);
    assert.equal(
      result.code,
      0,
      `boto3 scenario failed (exit ${result.code}):\n${result.stderr}\nserver log:\n${server.stderr()}`,
    );
    assert.deepEqual(JSON.parse(result.stdout), {
      listed: ['another', 'boto3-reader'],
      firstCount: 5,
      resumed: ['second-0', 'second-1'],
      errors: {
        duplicateName: 'ResourceInUseException',
        unknownConsumer: 'ResourceNotFoundException',
        unknownShard: 'ResourceNotFoundException',
        noConsumerNamed: 'InvalidArgumentException',
        deleteWithConsumers: 'ResourceInUseException',
      },
      deleting: 'DELETING',
      remaining: ['boto3-reader'],
      consumerCount: 1,
    });
  });
});
