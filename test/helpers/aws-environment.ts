/**
 * The environment for the AWS CLI and boto3 child processes in end-to-end tests: fixed test
 * credentials and region, and nothing inherited that could point them elsewhere (profiles,
 * config files, instance metadata, a pager, a pyenv Python path). Built from scratch, not from
 * `process.env`, so a developer's own AWS settings can never leak into a test run.
 */
export function awsClientEnvironment(homeDir: string): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: homeDir,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    // Errors must surface at once: a retried 4xx would only slow the error-case tests down.
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
