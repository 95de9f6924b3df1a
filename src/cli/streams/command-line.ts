/**
 * What every `tributary streams` subcommand shares: its shape, usage errors (exit 2), the
 * rendering of AWS and network errors (exit 1), and output that respects backpressure and a
 * closed pipe (`tributary streams tail s | head` ends quietly).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Subcommand } from '../command-group.js';

export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad flags or arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CommandIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly environment: NodeJS.ProcessEnv;
  /** Aborts on SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
}

export type ParsedValues = Record<string, string | boolean | undefined>;

/** A `tributary streams` subcommand: a command-group subcommand over the Kinesis API. */
export type StreamsSubcommand = Subcommand<KinesisClient>;

/** Writes `text`, waiting while the stream's buffer is full; rejects if the reader went away. */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const flushed = stream.write(text, (error) => {
      if (error !== undefined && error !== null) reject(error);
    });
    if (flushed) resolve();
    else {
      const onError = (error: Error): void => reject(error);
      stream.once('error', onError);
      stream.once('drain', () => {
        stream.removeListener('error', onError);
        resolve();
      });
    }
  });
}

export function isClosedPipe(error: unknown): boolean {
  return (
    (error as NodeJS.ErrnoException)?.code === 'EPIPE' ||
    (error as NodeJS.ErrnoException)?.code === 'ERR_STREAM_DESTROYED'
  );
}

export function positiveInteger(
  name: string,
  value: string | boolean | undefined,
  max?: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (
    typeof value !== 'string' ||
    !/^\d+$/.test(value) ||
    number < 1 ||
    (max !== undefined && number > max)
  ) {
    throw new UsageError(
      `--${name} must be a whole number from 1${max === undefined ? '' : ` to ${max}`}, got "${String(value)}"`,
    );
  }
  return number;
}

export function oneOf<T extends string>(
  name: string,
  value: string | boolean | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${String(value)}"`);
  }
  return value as T;
}

/**
 * One line for an error: AWS's code and message for service errors, the cause for network and
 * credential failures.
 */
export function describeError(error: unknown, endpoint: string): string {
  if (!(error instanceof Error)) return String(error);
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const fault = (error as { $fault?: string }).$fault;
  if (fault !== undefined) {
    const status = metadata?.httpStatusCode === undefined ? '' : ` (HTTP ${metadata.httpStatusCode})`;
    return `${error.name}: ${error.message}${status}`;
  }
  const network = systemErrorIn(error);
  if (network !== undefined) return `cannot reach ${endpoint}: ${network.message}`;
  if (error.name === 'CredentialsProviderError') return `no AWS credentials: ${error.message}`;
  if (error.name === 'TimeoutError') return `no answer from ${endpoint}: ${error.message}`;
  return `${error.name}: ${error.message}`;
}

/** A Node.js system error (ECONNREFUSED, ENOTFOUND, ...) in the error or its `cause` chain. */
function systemErrorIn(error: Error): NodeJS.ErrnoException | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return current as NodeJS.ErrnoException;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
