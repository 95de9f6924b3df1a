/**
 * The Kinesis Analytics API with boto3: runs `boto3_analytics.py` (the seed walkthrough's
 * control-plane steps) under Debian's `/usr/bin/python3` against a real server process and checks
 * its JSON summary. boto3 is required, never skipped.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { boto3Environment, runPython, type Boto3Environment } from '../../helpers/boto3.js';
import {
  removeDataDir,
  repositoryRoot,
  startServer,
  type ServerProcess,
} from '../../helpers/server-process.js';

const scenarioPath = path.join(repositoryRoot, 'test', 'analytics', 'e2e', 'boto3_analytics.py');

describe('Kinesis Analytics API with boto3', () => {
  let server: ServerProcess | undefined;
  let boto3: Boto3Environment | undefined;

  before(async () => {
    boto3 = await boto3Environment();
    server = await startServer();
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    await boto3?.dispose();
  });

  it('discovers a schema, creates, changes, tags and deletes an application', async () => {
    assert.ok(server !== undefined);
    const result = await runPython([scenarioPath, server.endpoint], boto3?.env ?? {}, 120_000);
    assert.equal(result.code, 0, `boto3 scenario failed:\n${result.stderr}\nserver log:\n${server.stderr()}`);
    assert.deepEqual(JSON.parse(result.stdout), {
      columns: [
        ['sensor', '$.sensor', 'VARCHAR(16)'],
        ['temperature', '$.temperature', 'REAL'],
      ],
      listed: ['test-analytics'],
      version: 2,
      tags: [
        { Key: 'seed', Value: '004' },
        { Key: 'team', Value: 'data' },
      ],
      errors: {
        stale: 'ConcurrentModificationException',
        badCode: 'CodeValidationException',
        start: 'RUNNING',
      },
      gone: 'ResourceNotFoundException',
    });
  });
});
