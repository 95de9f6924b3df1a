/**
 * The Kinesis Analytics API with boto3: runs `boto3_analytics.py` (the seed walkthrough's
 * control-plane steps) under Debian's `/usr/bin/python3` against a real server process and checks
 * its JSON summary. boto3 is required, never skipped.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { awsClientEnvironment } from '../../helpers/aws-environment.js';
import {
  removeDataDir,
  repositoryRoot,
  startServer,
  type ServerProcess,
} from '../../helpers/server-process.js';

const pythonPath = '/usr/bin/python3';
const scenarioPath = path.join(repositoryRoot, 'test', 'analytics', 'e2e', 'boto3_analytics.py');

describe('Kinesis Analytics API with boto3', () => {
  let server: ServerProcess | undefined;
  let homeDir = '';

  before(async () => {
    homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-boto3-home-'));
    server = await startServer();
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    if (homeDir !== '') await rm(homeDir, { recursive: true, force: true });
  });

  it('discovers a schema, creates, changes, tags and deletes an application', async () => {
    assert.ok(server !== undefined);
    const env = { ...awsClientEnvironment(homeDir), PYTHONDONTWRITEBYTECODE: '1' };
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        pythonPath,
        [scenarioPath, server!.endpoint],
        { env, timeout: 120_000 },
        (error, stdout, stderr) => {
          if (error === null) return resolve({ code: 0, stdout, stderr });
          if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
          reject(
            new Error(
              `${pythonPath} failed to run (is python3-boto3 installed?): ${error.message}\n${stderr}`,
            ),
          );
        },
      );
    });
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
