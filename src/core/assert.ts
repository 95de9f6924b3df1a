/**
 * Programmer-error checks. A failed assertion is a bug in Tributary, never bad input: bad input
 * gets a `ServiceError`. Assertions are not caught to be hidden; the request fails with
 * InternalFailure and the error is logged with its stack.
 */

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function unreachable(value: never, message = 'unreachable'): never {
  throw new AssertionError(`${message}: ${JSON.stringify(value)}`);
}
