/**
 * Runs the AWS CLI v2 (`/usr/bin/aws`, Debian's awscli) for end-to-end tests and checks that it is
 * there and is a v2: a missing or wrong CLI fails the suite, saying what to install.
 */
import { execFile } from 'node:child_process';
import assert from 'node:assert/strict';

export const awsCliPath = '/usr/bin/aws';
const cliTimeoutMs = 60_000;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      awsCliPath,
      [...args],
      { env, timeout: cliTimeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ code: 0, stdout, stderr });
        // A non-zero exit is a result; failing to start or a timeout is not.
        if (typeof error.code === 'number') return resolve({ code: error.code, stdout, stderr });
        reject(new Error(`${awsCliPath} ${args.join(' ')} failed to run: ${error.message}\n${stderr}`));
      },
    );
  });
}

export async function requireCliV2(env: NodeJS.ProcessEnv): Promise<void> {
  const version = await runCli(['--version'], env).catch((error: unknown) => {
    throw new Error(
      `The AWS CLI v2 is required at ${awsCliPath} (Debian: apt-get install awscli): ${String(error)}`,
    );
  });
  assert.match(
    version.stdout + version.stderr,
    /^aws-cli\/2\./,
    `${awsCliPath} must be the AWS CLI v2 (Debian package awscli 2.x); it reports: ${version.stdout}${version.stderr}`,
  );
}
