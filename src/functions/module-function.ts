/**
 * A function that is a local JavaScript module, run in a pool of worker threads (at most
 * `concurrency`, started on demand; invocations beyond it wait in order). Each worker imports the
 * module once and runs one invocation at a time, so a handler's module state lives on between
 * invocations as in a warm Lambda.
 *
 * A worker whose invocation runs past the timeout is terminated (that is the only way to stop
 * synchronous JavaScript) and replaced; so is a worker that crashed. Both are invocation
 * failures, never a failure of the caller.
 */
import { Worker } from 'node:worker_threads';
import type { InvocationContext, InvocationResult, RegisteredFunction } from './function-registry.js';
import type { WorkerReply, WorkerRequest } from './module-worker.js';

const workerScript = new URL('./module-worker.js', import.meta.url);

interface Waiting {
  readonly event: unknown;
  readonly context: InvocationContext;
  readonly resolve: (result: InvocationResult) => void;
}

export class ModuleFunction implements RegisteredFunction {
  readonly #modulePath: string;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #idle: Worker[] = [];
  readonly #all = new Set<Worker>();
  readonly #waiting: Waiting[] = [];
  #nextId = 0;
  #closed = false;

  constructor(modulePath: string, timeoutMs: number, concurrency: number) {
    this.#modulePath = modulePath;
    this.#timeoutMs = timeoutMs;
    this.#concurrency = concurrency;
  }

  invoke(event: unknown, context: InvocationContext): Promise<InvocationResult> {
    return new Promise((resolve) => {
      this.#waiting.push({ event, context, resolve });
      this.#dispatch();
    });
  }

  #dispatch(): void {
    while (this.#waiting.length > 0 && !this.#closed) {
      let worker = this.#idle.pop();
      if (worker === undefined) {
        if (this.#all.size >= this.#concurrency) return;
        worker = this.#startWorker();
      }
      const waiting = this.#waiting.shift() as Waiting;
      this.#run(worker, waiting);
    }
  }

  #startWorker(): Worker {
    const worker = new Worker(workerScript, { workerData: { modulePath: this.#modulePath } });
    worker.unref();
    this.#all.add(worker);
    return worker;
  }

  #run(worker: Worker, waiting: Waiting): void {
    const id = this.#nextId++;
    let settled = false;
    const finish = (result: InvocationResult, reusable: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reusable && !this.#closed) {
        this.#idle.push(worker);
      } else {
        this.#all.delete(worker);
        void worker.terminate();
      }
      waiting.resolve(result);
      this.#dispatch();
    };
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== id) return;
      finish(
        reply.ok
          ? { ok: true, payload: reply.payload }
          : { ok: false, failure: { kind: 'FunctionError', message: reply.message } },
        true,
      );
    };
    const onError = (error: Error): void =>
      finish(
        { ok: false, failure: { kind: 'FunctionError', message: `The function crashed: ${error.message}` } },
        false,
      );
    const onExit = (code: number): void =>
      finish(
        { ok: false, failure: { kind: 'FunctionError', message: `The function exited with code ${code}` } },
        false,
      );
    const timer = setTimeout(
      () =>
        finish(
          {
            ok: false,
            failure: {
              kind: 'Timeout',
              message: `Task timed out after ${(this.#timeoutMs / 1000).toFixed(2)} seconds`,
            },
          },
          false,
        ),
      this.#timeoutMs,
    );
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    const request: WorkerRequest = {
      id,
      event: waiting.event,
      context: waiting.context,
      timeoutMs: this.#timeoutMs,
    };
    worker.postMessage(request);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const waiting of this.#waiting.splice(0)) {
      waiting.resolve({
        ok: false,
        failure: { kind: 'FunctionError', message: 'The function registry was closed.' },
      });
    }
    const workers = [...this.#all];
    this.#all.clear();
    this.#idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
