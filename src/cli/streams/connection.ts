/**
 * How a `tributary streams` command reaches a server: endpoint, region, profile and credentials.
 * Each setting comes from its flag, then the environment, then a JSON config file
 * (`--config FILE` or TRIBUTARY_CLI_CONFIG), then the default. Credentials come from the standard
 * AWS chain (environment, SSO, web identity, shared files, process, instance metadata); against
 * a local endpoint with no credentials anywhere, test/test is used, as the server accepts any key.
 */
import { readFileSync } from 'node:fs';
import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { UsageError } from './command-line.js';

export const defaultEndpoint = 'http://127.0.0.1:4567';
export const defaultRegion = 'us-east-1';
export const localTestCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

type CredentialsProvider = NonNullable<KinesisClientConfig['credentials']>;

/** The options every `streams` command takes, for parseArgs. */
export const connectionOptions = {
  endpoint: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  config: { type: 'string' },
} as const;

export const connectionHelp = `Connection (flag, then environment, then config file, then default):
  --endpoint URL      server URL; env TRIBUTARY_ENDPOINT, AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL;
                      default ${defaultEndpoint}
  --region NAME       signing region; env AWS_REGION, AWS_DEFAULT_REGION; default ${defaultRegion}
  --profile NAME      AWS profile for credentials; env AWS_PROFILE
  --config FILE       JSON file with "endpoint", "region", "profile"; env TRIBUTARY_CLI_CONFIG
Credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles,
SSO, instance metadata); against a local endpoint (127.0.0.1, localhost, ::1) with none found,
test/test is used.`;

export interface Connection {
  readonly endpoint: string;
  readonly region: string;
  readonly profile: string | undefined;
}

interface ConfigFile {
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
}

function readConfigFile(file: string | undefined): ConfigFile {
  if (file === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`config file ${file} must hold a JSON object`);
  }
  const config = parsed as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!['endpoint', 'region', 'profile'].includes(key)) {
      throw new UsageError(`config file ${file}: unknown key "${key}" (known: endpoint, region, profile)`);
    }
    if (typeof config[key] !== 'string')
      throw new UsageError(`config file ${file}: "${key}" must be a string`);
  }
  return config as ConfigFile;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

export function resolveConnection(
  flags: { endpoint?: string; region?: string; profile?: string; config?: string },
  environment: NodeJS.ProcessEnv,
): Connection {
  const file = readConfigFile(flags.config ?? nonEmpty(environment.TRIBUTARY_CLI_CONFIG));
  const endpoint =
    flags.endpoint ??
    nonEmpty(environment.TRIBUTARY_ENDPOINT) ??
    nonEmpty(environment.AWS_ENDPOINT_URL_KINESIS) ??
    nonEmpty(environment.AWS_ENDPOINT_URL) ??
    file.endpoint ??
    defaultEndpoint;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`invalid endpoint "${endpoint}": expected a URL such as ${defaultEndpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid endpoint "${endpoint}": the scheme must be http or https`);
  }
  const region =
    flags.region ??
    nonEmpty(environment.AWS_REGION) ??
    nonEmpty(environment.AWS_DEFAULT_REGION) ??
    file.region;
  const profile = flags.profile ?? nonEmpty(environment.AWS_PROFILE) ?? file.profile;
  return { endpoint, region: region ?? defaultRegion, profile };
}

export function isLocalEndpoint(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The standard chain; for a local endpoint and no profile asked for, test/test when it finds nothing. */
export function credentialsFor(connection: Connection): CredentialsProvider {
  const local = isLocalEndpoint(connection.endpoint);
  const chain = defaultProvider({
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
    // Off EC2, the instance metadata lookup would only add a second of waiting before the fallback.
    ...(local ? { timeout: 250, maxRetries: 0 } : {}),
  });
  if (!local || connection.profile !== undefined) return chain;
  let fallback = false;
  return async () => {
    if (fallback) return localTestCredentials;
    try {
      return await chain();
    } catch (error) {
      if ((error as Error).name !== 'CredentialsProviderError') throw error;
      fallback = true;
      return localTestCredentials;
    }
  };
}

export function kinesisClientFor(connection: Connection): KinesisClient {
  return new KinesisClient({
    endpoint: connection.endpoint,
    region: connection.region,
    credentials: credentialsFor(connection),
  });
}
