/**
 * A function served over HTTP: the event is POSTed as JSON, the 2xx response body is the
 * function's response JSON. Anything else (a network error, a non-2xx status, a body that is not
 * JSON) is a function error; no answer within the timeout is a timeout.
 */
import type { InvocationContext, InvocationResult, RegisteredFunction } from './function-registry.js';

export class HttpFunction implements RegisteredFunction {
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #inFlight = new Set<AbortController>();

  constructor(url: string, timeoutMs: number) {
    this.#url = url;
    this.#timeoutMs = timeoutMs;
  }

  async invoke(event: unknown, context: InvocationContext): Promise<InvocationResult> {
    const controller = new AbortController();
    this.#inFlight.add(controller);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    try {
      const response = await fetch(this.#url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-amz-function-name': context.functionName,
          'x-amz-invoked-function-arn': context.invokedFunctionArn,
          'x-amz-request-id': context.awsRequestId,
        },
        body: JSON.stringify(event),
        signal: controller.signal,
      });
      const text = await response.text();
      if (!response.ok) {
        return failure(
          'FunctionError',
          `The function URL answered HTTP ${response.status}: ${text.slice(0, 200)}`,
        );
      }
      try {
        return { ok: true, payload: JSON.parse(text) as unknown };
      } catch {
        return failure('FunctionError', 'The function URL answered a body that is not JSON.');
      }
    } catch (error) {
      if (timedOut) return failure('Timeout', `Task timed out after ${this.#timeoutMs / 1000} seconds`);
      return failure(
        'FunctionError',
        `The function URL could not be called: ${String((error as Error).cause ?? error)}`,
      );
    } finally {
      clearTimeout(timer);
      this.#inFlight.delete(controller);
    }
  }

  async close(): Promise<void> {
    for (const controller of this.#inFlight) controller.abort();
  }
}

const failure = (kind: 'Timeout' | 'FunctionError', message: string): InvocationResult => ({
  ok: false,
  failure: { kind, message },
});
