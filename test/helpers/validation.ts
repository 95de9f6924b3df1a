/**
 * What the validation suite (`test/e2e/validation/<operation>.test.ts`) shares: a real server per
 * file, raw JSON calls (so a test can send what SDKs refuse to), and builders for the exact error
 * bodies AWS answers, compared whole with `assert.deepEqual`.
 *
 * Expected texts come from the wire reference (§1.5, §2, §3.5–3.7) and, where it cites them,
 * kinesalite's tests written against real Kinesis. Where neither records AWS's text, the test
 * pins the server's own message so that a change is deliberate.
 */
import { http1Request } from './raw-request.js';
import { removeDataDir, startServer, type ServerProcess } from './server-process.js';

/** The account and region of requests that do not choose one (access key `AKIDEXAMPLE`). */
export const defaultAccount = '000000000000';
export const defaultRegion = 'us-east-1';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export interface CallOptions {
  readonly accessKeyId?: string;
  readonly region?: string;
}

export interface TestServer {
  readonly process: ServerProcess;
  /** Sends `body` (JSON.stringify'd, or as is when a string) and parses the answer. */
  call(operation: string, body: unknown, options?: CallOptions): Promise<Reply>;
  /** Creates a stream and waits until it is ACTIVE; fails the test on any error. */
  createActiveStream(name: string, input?: Record<string, unknown>, options?: CallOptions): Promise<void>;
  /** Starts CreateStream and returns at once (the stream is CREATING). */
  createStream(name: string, input?: Record<string, unknown>, options?: CallOptions): Promise<void>;
  waitActive(name: string, options?: CallOptions): Promise<void>;
  deleteStreamAndWait(name: string, options?: CallOptions): Promise<void>;
  stop(): Promise<void>;
}

const statusWaitMs = 20_000;

export async function startTestServer(extraArgs: readonly string[] = []): Promise<TestServer> {
  // Validation suites create, poll and fill streams faster than AWS's rates allow.
  const process = await startServer({ extraArgs: ['--limits', 'off', ...extraArgs] });

  const call = async (operation: string, body: unknown, options: CallOptions = {}): Promise<Reply> => {
    const response = await http1Request(process.endpoint, {
      target: `Kinesis_20131202.${operation}`,
      contentType: 'application/x-amz-json-1.1',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...options,
    });
    const text = response.body.toString('utf8');
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };

  const statusOf = async (name: string, options: CallOptions): Promise<string | undefined> => {
    const reply = await call('DescribeStreamSummary', { StreamName: name }, options);
    const body = reply.body as { __type?: string; StreamDescriptionSummary?: { StreamStatus?: string } };
    if (body.__type === 'ResourceNotFoundException') return undefined;
    const status = body.StreamDescriptionSummary?.StreamStatus;
    if (status === undefined) throw new Error(`DescribeStreamSummary ${name}: ${JSON.stringify(reply)}`);
    return status;
  };

  const waitFor = async (name: string, options: CallOptions, wanted: string | undefined): Promise<void> => {
    const deadline = Date.now() + statusWaitMs;
    while (Date.now() < deadline) {
      if ((await statusOf(name, options)) === wanted) return;
      await sleep(25);
    }
    throw new Error(`stream ${name} did not reach ${wanted ?? 'deleted'} within ${statusWaitMs} ms`);
  };

  const createStream = async (
    name: string,
    input: Record<string, unknown> = { ShardCount: 1 },
    options: CallOptions = {},
  ): Promise<void> => {
    const reply = await call('CreateStream', { StreamName: name, ...input }, options);
    if (reply.status !== 200) throw new Error(`CreateStream ${name}: ${JSON.stringify(reply)}`);
  };

  return {
    process,
    call,
    createStream,
    async createActiveStream(name, input, options = {}) {
      await createStream(name, input, options);
      await waitFor(name, options, 'ACTIVE');
    },
    waitActive: (name, options = {}) => waitFor(name, options, 'ACTIVE'),
    async deleteStreamAndWait(name, options = {}) {
      const reply = await call('DeleteStream', { StreamName: name }, options);
      if (reply.status !== 200) throw new Error(`DeleteStream ${name}: ${JSON.stringify(reply)}`);
      await waitFor(name, options, undefined);
    },
    async stop() {
      await process.stop();
      await removeDataDir(process.dataDir);
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A 400 answer with a modelled exception: `{__type, message}`. */
export function awsError(type: string, message: string): Reply {
  return { status: 400, body: { __type: type, message } };
}

/** Coral's type-mismatch answer, with its capital `Message`. */
export function serializationError(message: string): Reply {
  return { status: 400, body: { __type: 'SerializationException', Message: message } };
}

/** One Coral violation; `value` null prints as `Value null`, anything else as `Value '<value>'`. */
export function violation(value: string | null, path: string, constraint: string): string {
  const shown = value === null ? 'null' : `'${value}'`;
  return `Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`;
}

/** A ValidationException in Coral form: the count, then the violations joined by `; `. */
export function validationError(...violations: string[]): Reply {
  const count = violations.length;
  return awsError(
    'ValidationException',
    `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
  );
}

export const notNull = 'Member must not be null';
export const lengthAtLeast = (n: number): string => `Member must have length greater than or equal to ${n}`;
export const lengthAtMost = (n: number): string => `Member must have length less than or equal to ${n}`;
export const valueAtLeast = (n: number): string => `Member must have value greater than or equal to ${n}`;
export const valueAtMost = (n: number): string => `Member must have value less than or equal to ${n}`;
export const pattern = (regex: string): string => `Member must satisfy regular expression pattern: ${regex}`;
export const enumSet = (values: readonly string[]): string =>
  `Member must satisfy enum value set: [${values.join(', ')}]`;

export const namePattern = '[a-zA-Z0-9_.-]+';
export const sequenceNumberPattern = '0|([1-9]\\d{0,128})';
export const hashKeyPattern = '0|([1-9]\\d{0,38})';
export const streamArnPattern = 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+';

/** How Coral prints a blob value. */
export const heapByteBuffer = (length: number): string =>
  `java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]`;

/** Base64 of `length` zero bytes. */
export const zeros = (length: number): string => Buffer.alloc(length).toString('base64');

/**
 * The type mismatches AWS reports for a JSON number where a scalar belongs, as kinesalite's tests
 * recorded them against real Kinesis: Jackson picks the Java class from the number's magnitude.
 */
export function numberMismatches(target: string): [number, string][] {
  return [
    [23, `class java.lang.Short can not be converted to ${target}`],
    [-2147483648, `class java.lang.Integer can not be converted to ${target}`],
    [2147483648, `class java.lang.Long can not be converted to ${target}`],
    [34.56, `class java.lang.Double can not be converted to ${target}`],
  ];
}

/** The other mismatches for a scalar member: a boolean, a list, an object. */
export function nonNumberMismatches(target: string): [unknown, string][] {
  return [
    [true, `class java.lang.Boolean can not be converted to ${target}`],
    [[], 'Start of list found where not expected'],
    [{}, 'Start of structure or map found where not expected.'],
  ];
}

/** Asserts each (value → message) case, reporting every failing case, not just the first. */
export async function assertMismatches(
  cases: readonly [unknown, string][],
  send: (value: unknown) => Promise<Reply>,
): Promise<void> {
  const failures: string[] = [];
  for (const [value, message] of cases) {
    const reply = await send(value);
    const expected = serializationError(message);
    if (JSON.stringify(reply) !== JSON.stringify(expected)) {
      failures.push(
        `${JSON.stringify(value)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(reply)}`,
      );
    }
  }
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

/** 2^128: one past the largest hash key. */
export const hashKeyLimit = 1n << 128n;

/** Builds a sequence number of AWS's v2 layout from hex fields (reference §3.5). */
export function sequenceNumberFromHex(hex: string): string {
  return BigInt(`0x${hex}`).toString(10);
}
