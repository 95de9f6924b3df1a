/**
 * Firehose end to end with boto3: runs `test/e2e/boto3_firehose.py` under Debian's
 * `/usr/bin/python3` (package python3-boto3) against a real server process, which checks every
 * step itself and prints a JSON summary checked again here.
 *
 * boto3 is required, never skipped: if `import boto3` fails, the suite fails saying what to install.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { awsClientEnvironment } from '../helpers/aws-environment.js';
import { repositoryRoot, startServer, removeDataDir, type ServerProcess } from '../helpers/server-process.js';

const pythonPath = '/usr/bin/python3';
const scenarioPath = path.join(repositoryRoot, 'test', 'e2e', 'boto3_firehose.py');

function runPython(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      pythonPath,
      [...args],
      { env, timeout: timeoutMs, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ code: 0, stdout, stderr });
        if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
        reject(new Error(`${pythonPath} ${args.join(' ')} failed to run: ${error.message}\n${stderr}`));
      },
    );
  });
}

describe('boto3 Firehose scenario against a real server', () => {
  let server: ServerProcess | undefined;
  let homeDir = '';
  let env: NodeJS.ProcessEnv = {};

  before(async () => {
    homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-boto3-home-'));
    env = { ...awsClientEnvironment(homeDir), PYTHONDONTWRITEBYTECODE: '1' };
    const probe = await runPython(['-c', 'import boto3; print(boto3.__version__)'], env, 30_000).catch(
      (error: unknown) => ({ code: -1, stdout: '', stderr: String(error) }),
    );
    assert.equal(
      probe.code,
      0,
      `boto3 is required for ${pythonPath} (Debian: apt-get install python3-boto3): ${probe.stderr}`,
    );
    server = await startServer({ extraArgs: ['--firehose-buffer-interval-ms-max', '1000'] });
  });

  after(async () => {
    if (server !== undefined) {
      await server.stop();
      await removeDataDir(server.dataDir);
    }
    if (homeDir !== '') await rm(homeDir, { recursive: true, force: true });
  });

  it('creates, puts, delivers GZIP objects, answers errors and deletes', async () => {
    assert.ok(server !== undefined);
    const result = await runPython([scenarioPath, server.endpoint, server.dataDir], env, 120_000);
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
      },
      afterDelete: [],
    });
  });
});
