/**
 * Running boto3 scenarios: Debian's `/usr/bin/python3` (package python3-boto3) in a private HOME
 * with the AWS client environment. boto3 is required, never skipped: when `import boto3` fails,
 * `boto3Environment` fails saying what to install.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { awsClientEnvironment } from './aws-environment.js';

export const pythonPath = '/usr/bin/python3';

export interface PythonResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs python with `args`; a non-zero exit is a result, a failure to start is an error. */
export function runPython(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<PythonResult> {
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

export interface Boto3Environment {
  readonly env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

/** A private HOME and environment for boto3; asserts that boto3 imports. */
export async function boto3Environment(): Promise<Boto3Environment> {
  const homeDir = await mkdtemp(path.join(os.tmpdir(), 'tributary-boto3-home-'));
  const env = { ...awsClientEnvironment(homeDir), PYTHONDONTWRITEBYTECODE: '1' };
  const probe = await runPython(['-c', 'import boto3'], env, 30_000).catch(
    (error: unknown): PythonResult => ({ code: -1, stdout: '', stderr: String(error) }),
  );
  assert.equal(
    probe.code,
    0,
    `boto3 is required for ${pythonPath} (Debian: apt-get install python3-boto3): ${probe.stderr}`,
  );
  return { env, dispose: () => rm(homeDir, { recursive: true, force: true }) };
}
