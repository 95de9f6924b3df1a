/**
 * Decoding large request bodies on the second core. A PutRecords body of 500 records spends most
 * of its main-thread time turning bytes into a string, parsing it and decoding base64 (see
 * docs/benchmarks.md, the profile section); here one worker thread (`decode-worker.ts`) does that
 * for the operations that ask for it (`ApiOperation.offload`), while the main thread goes on with
 * HTTP, routing and the log. This applies DESIGN.md's "heavy work can move to worker threads" to
 * request decoding, which keeps no state of its own.
 *
 * The worker starts with the first large body (a server that never sees one never starts it) and
 * stops after `idleMs` without one, so that its heap is only held during bulk writes;
 * until it has loaded its modules, and for a second after it died, bodies are decoded on the main
 * thread: no request waits for a worker to start.
 *
 * The request pipeline offloads JSON bodies only: turning a large body into a string, parsing it and
 * decoding base64 is what costs; a CBOR body carries its blobs as bytes and decodes faster than its
 * result could be handed back.
 *
 * It is only ever a shortcut: `decode` answers undefined when the body is small (the round trip
 * would cost more than it saves), when too much is already waiting (bounded by count and bytes,
 * so a burst falls back to the main thread instead of queueing without end), when the worker has
 * died, or when the worker could not decode or validate the body. The caller then decodes on the
 * main thread as it always did, so errors are made in one place and keep AWS's order of checks.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ApiService } from './api-service.js';
import type { DecodeReply, DecodeRequest, DecodeWorkerData } from './decode-worker.js';
import { unpackInput } from './packed-input.js';
import type { StructureShape } from './shape.js';

const workerScript = new URL('./decode-worker.js', import.meta.url);
const workerHeapLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };
/** Larger bodies are decoded on the main thread: one needs up to about three times its size of heap. */
const maxBodyBytes = 8 * 1024 * 1024;

export interface DecodeOffloadOptions {
  /** Bodies smaller than this are decoded on the main thread. */
  readonly minBodyBytes?: number;
  readonly pendingMax?: number;
  readonly pendingBytesMax?: number;
  /** Told once per worker that died (it is started again on the next large body). */
  readonly log?: (message: string, fields?: Record<string, unknown>) => void;
  /** A worker with nothing to do for this long is stopped, giving its memory back (default 2 s). */
  readonly idleMs?: number;
  /** Counted per body sent to the worker: `decoded`, or `returned` to the main thread. */
  readonly onOutcome?: (outcome: 'decoded' | 'returned') => void;
}

/** What the worker made of a body, and the body itself (it may have travelled there and back). */
export interface Offloaded {
  /** Undefined when the caller should decode `body` itself. */
  readonly input: Record<string, unknown> | undefined;
  /** Undefined only when the worker died holding a body that was moved to it. */
  readonly body: Buffer | undefined;
}

interface Pending {
  readonly bytes: number;
  readonly resolve: (offloaded: Offloaded) => void;
  /** The body as given, answered when the worker is lost; undefined when it was moved. */
  readonly fallback: Buffer | undefined;
}

export class DecodeOffload {
  readonly #shapes: Readonly<Record<string, StructureShape>>;
  readonly #minBodyBytes: number;
  readonly #pendingMax: number;
  readonly #pendingBytesMax: number;
  readonly #log: (message: string, fields?: Record<string, unknown>) => void;
  readonly #onOutcome: (outcome: 'decoded' | 'returned') => void;
  readonly #pending = new Map<number, Pending>();
  #pendingBytes = 0;
  #nextId = 0;
  #worker: Worker | undefined;
  /** Whether #worker has loaded its modules; until then bodies are decoded on the main thread. */
  #ready = false;
  readonly #readyWaiters: (() => void)[] = [];
  #closed = false;
  #lastStartMs = -Infinity;
  readonly #idleMs: number;
  #idleTimer: NodeJS.Timeout | undefined;

  /** `shapes` by `<target prefix>.<operation>`. */
  constructor(shapes: Readonly<Record<string, StructureShape>>, options: DecodeOffloadOptions = {}) {
    this.#shapes = shapes;
    this.#minBodyBytes = options.minBodyBytes ?? 128 * 1024;
    // Small: once the worker has this many bodies, the main thread decodes the next itself, so
    // under load both cores decode instead of a queue growing in front of one.
    this.#pendingMax = options.pendingMax ?? 2;
    this.#pendingBytesMax = options.pendingBytesMax ?? 64 * 1024 * 1024;
    this.#log = options.log ?? (() => undefined);
    this.#onOutcome = options.onOutcome ?? (() => undefined);
    this.#idleMs = options.idleMs ?? 2000;
  }

  /** Resolves once the worker takes bodies (for tests and benchmarks; callers never wait). */
  ready(): Promise<void> {
    if (this.#ready || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /**
   * The validated input of `body`, decoded off the main thread; undefined now, or an undefined
   * `input` later, when the caller should decode it itself. A body that owns its whole memory is
   * moved to the worker rather than copied, so the caller must use the body it gets back.
   */
  decode(key: string, encoding: 'json' | 'cbor', body: Buffer): Promise<Offloaded> | undefined {
    if (
      this.#closed ||
      body.length < this.#minBodyBytes ||
      body.length > maxBodyBytes ||
      !(key in this.#shapes)
    )
      return undefined;
    if (this.#pending.size >= this.#pendingMax || this.#pendingBytes + body.length > this.#pendingBytesMax) {
      return undefined;
    }
    const worker = this.#worker;
    if (worker === undefined) {
      this.#start();
      return undefined;
    }
    if (!this.#ready) return undefined;
    clearTimeout(this.#idleTimer);
    const id = this.#nextId++;
    this.#pendingBytes += body.length;
    const owned =
      body.byteOffset === 0 &&
      body.byteLength === body.buffer.byteLength &&
      body.buffer instanceof ArrayBuffer;
    return new Promise((resolve) => {
      this.#pending.set(id, { bytes: body.length, resolve, fallback: owned ? undefined : body });
      const request: DecodeRequest = { id, key, encoding, body };
      worker.postMessage(request, owned ? [body.buffer as ArrayBuffer] : []);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    this.#settleAll();
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
    if (worker !== undefined) await worker.terminate();
  }

  /** Whether the worker takes bodies now. */
  get isReady(): boolean {
    return this.#ready;
  }

  #start(): void {
    if (this.#worker !== undefined || this.#closed) return;
    // A worker that keeps dying is started again at most once a second.
    if (performance.now() - this.#lastStartMs < 1000) return;
    this.#lastStartMs = performance.now();
    this.#ready = false;
    const workerData: DecodeWorkerData = { shapes: this.#shapes };
    // A small heap: the worker holds one body's strings at a time, and a large heap would keep
    // tens of MB resident after a bulk load; bodies over `maxBodyBytes` stay on the main thread.
    const worker = new Worker(workerScript, { workerData, resourceLimits: workerHeapLimits });
    worker.unref();
    worker.on('message', (reply: DecodeReply) => {
      if ('ready' in reply) {
        this.#ready = true;
        for (const resolve of this.#readyWaiters.splice(0)) resolve();
      } else this.#settle(reply);
    });
    const lost = (reason: string): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#ready = false;
      if (!this.#closed)
        this.#log('request decoding worker stopped; decoding on the main thread meanwhile', { reason });
      this.#settleAll();
    };
    worker.on('error', (error) => lost(String(error)));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.#worker = worker;
  }

  #settle(reply: Exclude<DecodeReply, { readonly ready: true }>): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    this.#pendingBytes -= pending.bytes;
    const body = Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength);
    const input = reply.ok ? unpackInput(reply.input) : undefined;
    this.#onOutcome(input === undefined ? 'returned' : 'decoded');
    pending.resolve({ input, body });
    if (this.#pending.size === 0) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = setTimeout(() => this.#retire(), this.#idleMs);
      this.#idleTimer.unref();
    }
  }

  /** Stops an idle worker: its heap (the large strings of the bodies it parsed) goes back. */
  #retire(): void {
    const worker = this.#worker;
    if (worker === undefined || this.#pending.size > 0) return;
    this.#worker = undefined;
    this.#ready = false;
    this.#lastStartMs = -Infinity;
    void worker.terminate();
  }

  #settleAll(): void {
    for (const pending of this.#pending.values()) {
      this.#onOutcome('returned');
      pending.resolve({ input: undefined, body: pending.fallback });
    }
    this.#pending.clear();
    this.#pendingBytes = 0;
  }
}

/** The input shapes of the services' operations marked `offload`, by `<target prefix>.<operation>`. */
export function offloadShapes(services: readonly ApiService[]): Record<string, StructureShape> {
  const shapes: Record<string, StructureShape> = {};
  for (const service of services) {
    for (const operation of service.operations.values()) {
      if (operation.offload === true)
        shapes[`${service.targetPrefix}.${operation.name}`] = operation.inputShape;
    }
  }
  return shapes;
}
