/**
 * Server configuration from, in rising precedence: defaults, a JSON file (`--config FILE` or
 * TRIBUTARY_CONFIG), environment variables (TRIBUTARY_<NAME>), and command-line flags. Every
 * setting has all three spellings: flag `--data-dir`, variable `TRIBUTARY_DATA_DIR`, file key
 * `dataDir`. Bad values stop the server with a message naming the setting and where it came from.
 */
import { readFileSync } from 'node:fs';
import { limits } from '../core/limits.js';
import { FunctionRegistryError, readFunctionSpecs } from '../functions/function-registry.js';
import { defaultRollPolicy } from '../log/file/roll-policy.js';
import { syncPolicies, type SyncPolicy } from '../log/log-store.js';
import { limitModes, type LimitMode } from '../streams/throughput/stream-limits.js';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly storage: 'file' | 'memory';
  readonly fsync: SyncPolicy;
  readonly fsyncIntervalMs: number;
  readonly logSegmentBytesMax: number;
  readonly transitionDelayMs: number;
  readonly accountShardLimit: number;
  readonly firehoseBufferIntervalMsMax: number;
  /** The function registry file (JSON); empty: no functions. */
  readonly functions: string;
  /** `name=url,…`: where DomainARN destinations of Firehose send `_bulk` requests. */
  readonly firehoseOpensearchDomains: string;
  readonly firehoseDestinationTimeoutMs: number;
  /** Bulk-write bodies of at least this many bytes are decoded on a worker thread; 0: never. */
  readonly decodeOffloadMinBytes: number;
  readonly defaultAccountId: string;
  readonly defaultRegion: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'quiet';
  readonly limits: LimitMode;
  readonly faultThrottleRate: number;
  readonly faultInternalRate: number;
  readonly faultSeed: number;
  readonly onDemandIntervalMs: number;
  readonly onDemandWindowMs: number;
  /** Firehose S3 destinations (docs/firehose.md, "S3 endpoints and credentials"). */
  readonly s3Endpoint: string | undefined;
  readonly s3Region: string | undefined;
  readonly s3AccessKeyId: string | undefined;
  readonly s3SecretAccessKey: string | undefined;
  readonly s3ForcePathStyle: 'true' | 'false';
  /** Per-bucket S3 endpoints: a JSON object, checked by `s3-endpoints-config.ts`. */
  readonly s3Endpoints: unknown;
  readonly analyticsLiveBufferRows: number;
}

interface SettingSpec {
  readonly key: keyof ServerConfig;
  readonly flag: string;
  /** `fraction`: a decimal number from 0 to 1; `json`: a JSON value (as-is in the config file). */
  readonly kind: 'string' | 'integer' | 'fraction' | 'json' | readonly string[];
  readonly help: string;
}

export const settingSpecs: readonly SettingSpec[] = [
  { key: 'host', flag: 'host', kind: 'string', help: 'address to listen on' },
  {
    key: 'port',
    flag: 'port',
    kind: 'integer',
    help: 'TCP port for every API and the console (0 picks a free one)',
  },
  { key: 'dataDir', flag: 'data-dir', kind: 'string', help: 'directory for the log and the catalog' },
  {
    key: 'storage',
    flag: 'storage',
    kind: ['file', 'memory'],
    help: 'file (durable) or memory (lost at exit)',
  },
  {
    key: 'fsync',
    flag: 'fsync',
    kind: syncPolicies,
    help: 'always: acknowledge after fsync; interval; never',
  },
  {
    key: 'fsyncIntervalMs',
    flag: 'fsync-interval-ms',
    kind: 'integer',
    help: 'fsync period with --fsync interval',
  },
  {
    key: 'logSegmentBytesMax',
    flag: 'log-segment-bytes-max',
    kind: 'integer',
    help: 'size at which a log segment is sealed; retention and trimming drop whole segments',
  },
  {
    key: 'transitionDelayMs',
    flag: 'transition-delay-ms',
    kind: 'integer',
    help: 'how long streams stay CREATING/DELETING and applications STARTING/STOPPING/UPDATING/DELETING',
  },
  {
    key: 'accountShardLimit',
    flag: 'account-shard-limit',
    kind: 'integer',
    help: 'open shards per account and region',
  },
  {
    key: 'firehoseBufferIntervalMsMax',
    flag: 'firehose-buffer-interval-ms-max',
    kind: 'integer',
    help: 'for tests and demos: deliver Firehose buffers after at most this long, whatever IntervalInSeconds says',
  },
  {
    key: 'functions',
    flag: 'functions',
    kind: 'string',
    help: 'JSON file mapping Lambda ARNs or function names to local JavaScript modules or HTTP URLs (docs/firehose.md#functions)',
  },
  {
    key: 'firehoseOpensearchDomains',
    flag: 'firehose-opensearch-domains',
    kind: 'string',
    help: 'OpenSearch/Elasticsearch domains of Firehose DomainARN destinations: name=url[,name=url...] (name or ARN)',
  },
  {
    key: 'firehoseDestinationTimeoutMs',
    flag: 'firehose-destination-timeout-ms',
    kind: 'integer',
    help: 'response timeout of Firehose HTTP endpoint, OpenSearch and Splunk requests (AWS: 3 minutes)',
  },
  {
    key: 'decodeOffloadMinBytes',
    flag: 'decode-offload-min-bytes',
    kind: 'integer',
    help: 'JSON PutRecords/PutRecordBatch bodies of at least this many bytes are decoded on a second thread; 0 never',
  },
  {
    key: 'defaultAccountId',
    flag: 'default-account-id',
    kind: 'string',
    help: 'account for access keys that are not 12 digits',
  },
  { key: 'defaultRegion', flag: 'default-region', kind: 'string', help: 'region when a request names none' },
  {
    key: 'logLevel',
    flag: 'log-level',
    kind: ['debug', 'info', 'warn', 'quiet'],
    help: 'how much to log on stderr',
  },
  {
    key: 'limits',
    flag: 'limits',
    kind: limitModes,
    help: 'throughput, rate and quota limits: as on AWS, or none',
  },
  {
    key: 'faultThrottleRate',
    flag: 'fault-throttle-rate',
    kind: 'fraction',
    help: 'fraction (0..1) of data-plane requests answered ProvisionedThroughputExceededException',
  },
  {
    key: 'faultInternalRate',
    flag: 'fault-internal-rate',
    kind: 'fraction',
    help: 'fraction (0..1) of data-plane requests answered InternalFailure (500)',
  },
  { key: 'faultSeed', flag: 'fault-seed', kind: 'integer', help: 'seed of the fault-injection draws' },
  {
    key: 'onDemandIntervalMs',
    flag: 'on-demand-interval-ms',
    kind: 'integer',
    help: 'how often on-demand streams are measured and scaled (limits aws)',
  },
  {
    key: 'onDemandWindowMs',
    flag: 'on-demand-window-ms',
    kind: 'integer',
    help: 'how long a peak write rate counts for on-demand scaling (30 days)',
  },
  {
    key: 's3Endpoint',
    flag: 's3-endpoint',
    kind: 'string',
    help: 'S3 endpoint URL for Firehose S3 destinations (none: the embedded bucket directory)',
  },
  {
    key: 's3Region',
    flag: 's3-region',
    kind: 'string',
    help: 'region signed into S3 requests (none: --default-region)',
  },
  {
    key: 's3AccessKeyId',
    flag: 's3-access-key-id',
    kind: 'string',
    help: 'access key for the S3 endpoint (none: the AWS SDK default credential chain)',
  },
  {
    key: 's3SecretAccessKey',
    flag: 's3-secret-access-key',
    kind: 'string',
    help: 'secret key for the S3 endpoint, with --s3-access-key-id',
  },
  {
    key: 's3ForcePathStyle',
    flag: 's3-force-path-style',
    kind: ['true', 'false'],
    help: 'address buckets as http://host/bucket rather than http://bucket.host',
  },
  {
    key: 's3Endpoints',
    flag: 's3-endpoints',
    kind: 'json',
    help: 'per-bucket S3 endpoints, a JSON object {"bucket": {"endpoint": ...} | "embedded"}',
  },
  {
    key: 'analyticsLiveBufferRows',
    flag: 'analytics-live-buffer-rows',
    kind: 'integer',
    help: 'rows the live results endpoint queues per slow client before it drops the oldest',
  },
];

export const defaultConfig: ServerConfig = {
  host: '127.0.0.1',
  port: 4567,
  dataDir: './data',
  storage: 'file',
  fsync: 'always',
  fsyncIntervalMs: 100,
  logSegmentBytesMax: defaultRollPolicy.segmentBytesMax,
  transitionDelayMs: limits.transitionDelayMsDefault,
  accountShardLimit: limits.accountShardLimitDefault,
  firehoseBufferIntervalMsMax: limits.s3BufferIntervalSecondsMax * 1000,
  functions: '',
  firehoseOpensearchDomains: '',
  firehoseDestinationTimeoutMs: limits.httpEndpointResponseTimeoutMs,
  decodeOffloadMinBytes: 128 * 1024,
  defaultAccountId: '000000000000',
  defaultRegion: 'us-east-1',
  logLevel: 'info',
  limits: 'aws',
  faultThrottleRate: 0,
  faultInternalRate: 0,
  faultSeed: 1,
  onDemandIntervalMs: limits.onDemandIntervalMsDefault,
  onDemandWindowMs: limits.onDemandWindowMsDefault,
  s3Endpoint: undefined,
  s3Region: undefined,
  s3AccessKeyId: undefined,
  s3SecretAccessKey: undefined,
  s3ForcePathStyle: 'false',
  s3Endpoints: undefined,
  analyticsLiveBufferRows: limits.analyticsLiveBufferRowsDefault,
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const envName = (key: string): string => 'TRIBUTARY_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();

/** Builds the configuration from flag values (already parsed), the environment and a file. */
export function resolveConfig(
  flags: Readonly<Record<string, string | undefined>>,
  env: NodeJS.ProcessEnv,
  configFile: string | undefined,
): ServerConfig {
  const config: Record<string, unknown> = { ...defaultConfig };
  const file = configFile ?? env.TRIBUTARY_CONFIG;
  if (file !== undefined && file !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigError(`config file ${file} must hold a JSON object`);
    }
    for (const [key, value] of Object.entries(parsed)) {
      const spec = settingSpecs.find((candidate) => candidate.key === key);
      if (spec === undefined) throw new ConfigError(`config file ${file}: unknown setting "${key}"`);
      config[key] =
        spec.kind === 'json' ? value : coerce(spec, String(value), `config file ${file}, key ${key}`);
    }
  }
  for (const spec of settingSpecs) {
    const value = env[envName(spec.key)];
    if (value !== undefined && value !== '')
      config[spec.key] = coerce(spec, value, `environment ${envName(spec.key)}`);
  }
  for (const spec of settingSpecs) {
    const value = flags[spec.flag];
    if (value !== undefined) config[spec.key] = coerce(spec, value, `flag --${spec.flag}`);
  }
  if ((config.faultThrottleRate as number) + (config.faultInternalRate as number) > 1) {
    throw new ConfigError('fault-throttle-rate and fault-internal-rate must add up to at most 1');
  }
  if (config.functions !== '') {
    // Checked now, so a broken registry stops the server with the message of a bad setting.
    try {
      readFunctionSpecs(config.functions as string);
    } catch (error) {
      if (error instanceof FunctionRegistryError) throw new ConfigError(error.message);
      throw error;
    }
  }
  const segmentBytesMax = config.logSegmentBytesMax as number;
  if (segmentBytesMax < 1 || segmentBytesMax > 1024 * 1024 * 1024)
    throw new ConfigError('log-segment-bytes-max must be from 1 to 1073741824 (1 GiB)');
  if ((config.onDemandIntervalMs as number) < 1)
    throw new ConfigError('on-demand-interval-ms must be at least 1');
  if ((config.analyticsLiveBufferRows as number) < 1)
    throw new ConfigError('analytics-live-buffer-rows must be at least 1');
  parseDomainMap(config.firehoseOpensearchDomains as string);
  if ((config.firehoseDestinationTimeoutMs as number) < 1)
    throw new ConfigError('firehose-destination-timeout-ms must be at least 1');
  return config as unknown as ServerConfig;
}

function coerce(spec: SettingSpec, value: string, source: string): unknown {
  if (spec.kind === 'json') {
    try {
      return JSON.parse(value) as unknown;
    } catch (error) {
      throw new ConfigError(`${source}: expected JSON: ${(error as Error).message}`);
    }
  }
  if (spec.kind === 'string') {
    if (value === '') throw new ConfigError(`${source}: must not be empty`);
    return value;
  }
  if (spec.kind === 'fraction') {
    if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(value)) {
      throw new ConfigError(`${source}: expected a number from 0 to 1, got "${value}"`);
    }
    return Number(value);
  }
  if (spec.kind === 'integer') {
    if (!/^\d+$/.test(value)) throw new ConfigError(`${source}: expected a whole number, got "${value}"`);
    return Number(value);
  }
  if (!spec.kind.includes(value)) {
    throw new ConfigError(`${source}: expected one of ${spec.kind.join(', ')}, got "${value}"`);
  }
  return value;
}

export function environmentVariableOf(spec: SettingSpec): string {
  return envName(spec.key);
}

/**
 * `firehose-opensearch-domains`: `name=url` pairs separated by commas; a name is a domain name or
 * a whole domain ARN, a URL is http(s). ConfigError for anything else.
 */
export function parseDomainMap(text: string): ReadonlyMap<string, string> {
  const domains = new Map<string, string>();
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const url = pair.slice(at + 1).trim();
    if (at < 1 || name === '' || !/^https?:\/\/[^\s]+$/.test(url)) {
      throw new ConfigError(
        `firehose-opensearch-domains: expected name=http(s)://host:port pairs separated by commas, got "${pair}"`,
      );
    }
    domains.set(name, url);
  }
  return domains;
}
