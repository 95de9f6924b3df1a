/**
 * The worker thread of a module function: imports the module once, then runs one invocation per
 * message with a Lambda-like context. Handlers may be async (`return` the response), or take a
 * third `callback(error, response)` argument as Node.js Lambda handlers may.
 *
 * The response must be structured-cloneable (JSON-like); what is not becomes a function error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import type { InvocationContext } from './function-registry.js';

export interface WorkerRequest {
  readonly id: number;
  readonly event: unknown;
  readonly context: InvocationContext;
  readonly timeoutMs: number;
}

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly payload: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string };

type Handler = (
  event: unknown,
  context: unknown,
  callback?: (error: unknown, result?: unknown) => void,
) => unknown;

const port = parentPort;
if (port !== null) {
  const { modulePath } = workerData as { modulePath: string };
  const loaded: Promise<Handler> = import(pathToFileURL(modulePath).href).then(
    (module: Record<string, unknown>) => {
      const handler = module.handler ?? (module.default as Record<string, unknown> | undefined)?.handler;
      if (typeof handler !== 'function') {
        throw new Error(`Runtime.HandlerNotFound: ${modulePath} does not export a function named handler`);
      }
      return handler as Handler;
    },
  );
  // An import failure is reported per invocation, not as a crash of the thread.
  loaded.catch(() => undefined);

  port.on('message', (request: WorkerRequest) => {
    void run(request).then((reply) => {
      try {
        port.postMessage(reply);
      } catch (error) {
        port.postMessage({
          id: request.id,
          ok: false,
          message: `The response cannot be serialized: ${String(error)}`,
        });
      }
    });
  });

  async function run(request: WorkerRequest): Promise<WorkerReply> {
    const startedMs = Date.now();
    const context = {
      ...request.context,
      functionVersion: '$LATEST',
      memoryLimitInMB: '128',
      logGroupName: `/aws/lambda/${request.context.functionName}`,
      logStreamName: 'tributary',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: (): number => Math.max(0, request.timeoutMs - (Date.now() - startedMs)),
    };
    try {
      const handler = await loaded;
      const payload =
        handler.length >= 3
          ? await new Promise((resolve, reject) => {
              const returned = handler(request.event, context, (error, result) =>
                error === null || error === undefined ? resolve(result) : reject(error as Error),
              );
              if (returned instanceof Promise) returned.then(resolve, reject);
            })
          : await handler(request.event, context);
      return { id: request.id, ok: true, payload };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { id: request.id, ok: false, message };
    }
  }
}
