/**
 * The function registry: what a Lambda ARN (or a bare function name) runs in Tributary, since
 * there is no Lambda service. Each entry is a local JavaScript module (ESM, exporting
 * `handler(event, context)`, run in a pool of worker threads) or an HTTP URL that receives the
 * event as a POST and answers the response JSON.
 *
 * The registry is read from a JSON file (setting `functions`): an object whose keys are function
 * ARNs or names and whose values are `{ "module": path, "timeoutSeconds"?, "concurrency"? }` or
 * `{ "url": url, "timeoutSeconds"? }`. Module paths are relative to the registry file.
 *
 * Resolution of a reference (the `LambdaArn` of a processor): the exact string, then the ARN
 * without its version or alias qualifier, then the function name of the ARN. Every callable
 * Tributary part (Firehose processors, Analytics preprocessing and outputs) invokes through `invoke`,
 * which never throws for a function's own failures: they come back as an `InvocationFailure`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HttpFunction } from './http-function.js';
import { ModuleFunction } from './module-function.js';

/** What an invocation gives: the parsed response payload, or why there is none. */
export type InvocationResult =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly failure: InvocationFailure };

export interface InvocationFailure {
  /**
   * `ResourceNotFound`: no such function in the registry; `Timeout`: ran past its timeout;
   * `FunctionError`: threw, crashed, answered an HTTP error or a body that is not JSON.
   */
  readonly kind: 'ResourceNotFound' | 'Timeout' | 'FunctionError';
  readonly message: string;
}

/** One registered function; implementations: module (worker threads) and HTTP URL. */
export interface RegisteredFunction {
  invoke(event: unknown, context: InvocationContext): Promise<InvocationResult>;
  close(): Promise<void>;
}

/** The Lambda context members a handler may read (serializable ones). */
export interface InvocationContext {
  readonly functionName: string;
  readonly invokedFunctionArn: string;
  readonly awsRequestId: string;
}

export interface FunctionSpec {
  readonly name: string;
  readonly target: { readonly module: string } | { readonly url: string };
  readonly timeoutMs: number;
  /** Worker threads of a module function: invocations beyond it wait for a free one. */
  readonly concurrency: number;
}

/** Lambda's default timeout (3 s) and maximum (900 s). */
export const functionTimeoutSecondsDefault = 3;
export const functionTimeoutSecondsMax = 900;
export const functionConcurrencyDefault = 2;
export const functionConcurrencyMax = 64;

export class FunctionRegistryError extends Error {
  override readonly name = 'FunctionRegistryError';
}

/** Reads and checks a registry file; FunctionRegistryError names the broken entry. */
export function readFunctionSpecs(file: string): FunctionSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FunctionRegistryError(`cannot read function registry ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FunctionRegistryError(`function registry ${file} must hold a JSON object`);
  }
  const directory = path.dirname(path.resolve(file));
  return Object.entries(parsed).map(([name, value]) => specOf(name, value, directory, file));
}

function specOf(name: string, value: unknown, directory: string, file: string): FunctionSpec {
  const where = `function registry ${file}, function "${name}"`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FunctionRegistryError(`${where}: expected an object with "module" or "url"`);
  }
  const entry = value as Record<string, unknown>;
  const timeoutSeconds = entry.timeoutSeconds ?? functionTimeoutSecondsDefault;
  if (
    typeof timeoutSeconds !== 'number' ||
    !(timeoutSeconds > 0) ||
    timeoutSeconds > functionTimeoutSecondsMax
  ) {
    throw new FunctionRegistryError(
      `${where}: timeoutSeconds must be a number above 0 and at most ${functionTimeoutSecondsMax}`,
    );
  }
  const concurrency = entry.concurrency ?? functionConcurrencyDefault;
  if (
    !Number.isInteger(concurrency) ||
    (concurrency as number) < 1 ||
    (concurrency as number) > functionConcurrencyMax
  ) {
    throw new FunctionRegistryError(
      `${where}: concurrency must be a whole number from 1 to ${functionConcurrencyMax}`,
    );
  }
  const timeoutMs = Math.round(timeoutSeconds * 1000);
  if (typeof entry.module === 'string' && entry.url === undefined) {
    return {
      name,
      target: { module: path.resolve(directory, entry.module) },
      timeoutMs,
      concurrency: concurrency as number,
    };
  }
  if (typeof entry.url === 'string' && entry.module === undefined) {
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      throw new FunctionRegistryError(`${where}: "${entry.url}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new FunctionRegistryError(`${where}: the URL must be http or https`);
    }
    return { name, target: { url: url.href }, timeoutMs, concurrency: concurrency as number };
  }
  throw new FunctionRegistryError(`${where}: give exactly one of "module" (a path) and "url"`);
}

/** `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
const lambdaArnPattern =
  /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:([a-zA-Z0-9-_]+)(:[a-zA-Z0-9-_$]+)?$/;

/** The names a reference is looked up under, most specific first. */
export function lookupNames(reference: string): string[] {
  const match = lambdaArnPattern.exec(reference);
  if (match === null) return [reference];
  const names = [reference];
  if (match[2] !== undefined) names.push(reference.slice(0, reference.length - match[2].length));
  names.push(match[1] as string);
  return names;
}

export class FunctionRegistry {
  readonly #functions = new Map<string, RegisteredFunction>();
  #closed = false;

  constructor(specs: readonly FunctionSpec[]) {
    for (const spec of specs) {
      const registered =
        'module' in spec.target
          ? new ModuleFunction(spec.target.module, spec.timeoutMs, spec.concurrency)
          : new HttpFunction(spec.target.url, spec.timeoutMs);
      this.#functions.set(spec.name, registered);
    }
  }

  /** Whether a reference resolves to a registered function. */
  has(reference: string): boolean {
    return this.#resolve(reference) !== undefined;
  }

  async invoke(reference: string, event: unknown, awsRequestId: string): Promise<InvocationResult> {
    const found = this.#resolve(reference);
    if (found === undefined || this.#closed) {
      return {
        ok: false,
        failure: {
          kind: 'ResourceNotFound',
          message: `Function not found: ${reference}`,
        },
      };
    }
    const match = lambdaArnPattern.exec(reference);
    return found.invoke(event, {
      functionName: match?.[1] ?? reference,
      invokedFunctionArn: reference,
      awsRequestId,
    });
  }

  #resolve(reference: string): RegisteredFunction | undefined {
    for (const name of lookupNames(reference)) {
      const found = this.#functions.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Ends every worker thread; later invocations fail with ResourceNotFound. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#functions.values()].map((registered) => registered.close()));
  }
}
