/**
 * The Firehose service: delivery stream state, its persistence in the catalog, resumable status
 * transitions, the Direct PUT write path, and one delivery worker per ACTIVE delivery stream.
 *
 * Invariants:
 * - the catalog is the durable truth; the in-memory map mirrors it and changes only after the
 *   catalog write succeeded (compare-and-set on the entry's version);
 * - control-plane changes of one delivery stream run one at a time (a per-name queue);
 * - CREATING, DELETING and ENABLING/DISABLING carry their transition and due time, so a restart
 *   in the middle finishes them;
 * - a Direct PUT delivery stream's log exists before it is ACTIVE, and a record is appended to it
 *   (durably) before the put is answered;
 * - at start, logs and checkpoints of delivery streams that no longer exist are deleted.
 */
import { randomBytes } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import { CatalogError } from '../catalog/catalog-error.js';
import { partitionOf } from '../core/arn.js';
import type { Clock } from '../core/clock.js';
import { limits } from '../core/limits.js';
import { resourceInUse, resourceNotFound, serviceUnavailable, type ServiceError } from '../core/errors.js';
import type { RequestScope } from '../core/request-scope.js';
import { LogStoreError, type LogStore } from '../log/log-store.js';
import { DeliveryWorker, type Logger } from './delivery/delivery-worker.js';
import { DeliveryErrors, type DeliveryError } from './delivery/delivery-errors.js';
import type { DeliverySource, SourcePosition } from './delivery/source-position.js';
import {
  checkpointKey,
  retryStateKey,
  deliveryStreamKey,
  deliveryStreamPrefix,
  directPutLogId,
  firehoseLogPrefix,
  type DeliveryStreamRecord,
  type EncryptionState,
} from './delivery-stream-model.js';
import { FirehoseMetrics } from './firehose-metrics.js';
import { RedshiftLoader } from './redshift/redshift-loader.js';
import type { ObjectSink } from './sinks/object-sink.js';
import type { FunctionInvoker } from './processing/lambda-transform.js';
import { makeRecordDestination } from './destinations/record-destinations.js';
import { noDirectPutHolds, type DirectPutHolds } from './sources/direct-put-holds.js';
import { DirectPutSource } from './sources/direct-put-source.js';
import { KinesisStreamSource } from './sources/kinesis-stream-source.js';
import type { StreamReader } from './sources/stream-reader.js';

export interface FirehoseOptions {
  /** How long CREATING, DELETING, ENABLING and DISABLING last. */
  readonly transitionDelayMs: number;
  /**
   * Buffers are delivered after at most this long whatever IntervalInSeconds says: a setting for
   * tests and demos (clients such as older AWS CLIs refuse intervals under 60 s).
   */
  readonly bufferIntervalMsMax: number;
  /** Response timeout of HTTP endpoint, OpenSearch and Splunk requests (AWS: 3 minutes). */
  readonly destinationTimeoutMs?: number;
  /** OpenSearch/Elasticsearch endpoints of DomainARN destinations, by domain name or ARN. */
  readonly openSearchDomains?: ReadonlyMap<string, string>;
}

export interface LoadedDeliveryStream {
  readonly record: DeliveryStreamRecord;
  readonly version: number;
  readonly key: string;
}

export class FirehoseService {
  readonly catalog: Catalog;
  readonly logStore: LogStore;
  readonly clock: Clock;
  readonly options: FirehoseOptions;
  readonly metrics: FirehoseMetrics;
  /** Each delivery stream's last delivery errors (the console's "Last errors"). */
  readonly errors = new DeliveryErrors(limits.deliveryErrorsKeptMax);
  readonly #sink: ObjectSink;
  readonly #redshift: RedshiftLoader;
  readonly #streamReader: StreamReader;
  readonly #log: Logger;
  readonly #functions: FunctionInvoker;
  readonly #holds: DirectPutHolds;
  readonly #streams = new Map<string, LoadedDeliveryStream>();
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #timers = new Map<string, () => void>();
  readonly #workers = new Map<string, DeliveryWorker>();
  /** Workers told to stop whose current step may still be running, by key. */
  readonly #stopping = new Map<string, Promise<void>>();
  #closed = false;

  constructor(deps: {
    catalog: Catalog;
    logStore: LogStore;
    sink: ObjectSink;
    streamReader: StreamReader;
    clock: Clock;
    logger: Logger;
    options: FirehoseOptions;
    /** Firehose's CloudWatch metrics; none counted when absent. */
    metrics?: FirehoseMetrics;
    /** What Lambda processors invoke (the server's function registry). */
    functions: FunctionInvoker;
    /** Other readers of Direct PUT logs (analytics applications); none when absent. */
    holds?: DirectPutHolds;
  }) {
    this.#functions = deps.functions;
    this.#holds = deps.holds ?? noDirectPutHolds;
    this.catalog = deps.catalog;
    this.logStore = deps.logStore;
    this.clock = deps.clock;
    this.options = deps.options;
    this.metrics = deps.metrics ?? FirehoseMetrics.none;
    this.#sink = deps.sink;
    this.#streamReader = deps.streamReader;
    this.#log = deps.logger;
    this.#redshift = new RedshiftLoader({
      clock: deps.clock,
      sink: deps.sink,
      metrics: this.metrics,
      logger: deps.logger,
    });
  }

  async open(): Promise<void> {
    const entries = await this.catalog.list<DeliveryStreamRecord>('firehose/');
    const liveIds = new Set<string>();
    for (const entry of entries) {
      this.#streams.set(entry.key, { record: entry.value, version: entry.version, key: entry.key });
      liveIds.add(entry.value.deliveryStreamId);
      if (entry.value.transition !== undefined) this.#scheduleTransition(entry.key, entry.value);
      this.#syncWorker(entry.key);
    }
    for (const logId of await this.logStore.listLogs()) {
      if (logId.startsWith(firehoseLogPrefix) && !liveIds.has(logId.slice(firehoseLogPrefix.length))) {
        this.#log('deleting log of a delivery stream that no longer exists', { logId });
        await this.logStore.deleteLog(logId);
      }
    }
    for (const checkpoint of await this.catalog.list('firehose-checkpoints/')) {
      if (!liveIds.has(checkpoint.key.slice(checkpoint.key.indexOf('/') + 1))) {
        await this.catalog.delete(checkpoint.key);
      }
    }
    this.#log('delivery streams loaded', { deliveryStreams: entries.length });
  }

  /** Stops transitions and delivery workers (buffers stay in the sources for the next start). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    for (const [key, worker] of [...this.#workers]) this.#stopWorker(key, worker);
    await Promise.all(this.#stopping.values());
  }

  // ---- lookups ---------------------------------------------------------------------------

  find(scope: RequestScope, name: string): LoadedDeliveryStream {
    const loaded = this.#streams.get(deliveryStreamKey(scope.accountId, scope.region, name));
    if (loaded === undefined) throw deliveryStreamNotFound(name, scope.accountId);
    return loaded;
  }

  /** The last delivery errors of a delivery stream, newest first (ResourceNotFound when none). */
  lastErrors(scope: RequestScope, name: string): { errors: DeliveryError[]; total: number } {
    const { deliveryStreamId } = this.find(scope, name).record;
    return { errors: this.errors.list(deliveryStreamId), total: this.errors.total(deliveryStreamId) };
  }

  /** Every delivery stream of an account and region, by name. */
  list(scope: RequestScope): DeliveryStreamRecord[] {
    const prefix = deliveryStreamPrefix(scope.accountId, scope.region);
    return [...this.#streams.values()]
      .filter((loaded) => loaded.key.startsWith(prefix))
      .map((loaded) => loaded.record)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The URL of an OpenSearch/Elasticsearch domain (server setting), by ARN or domain name. */
  resolveDomain(domainArn: string): string | undefined {
    const domains = this.options.openSearchDomains;
    return domains?.get(domainArn) ?? domains?.get(domainArn.slice(domainArn.lastIndexOf('/') + 1));
  }

  arnOf(record: Pick<DeliveryStreamRecord, 'region' | 'accountId' | 'name'>): string {
    return `arn:${partitionOf(record.region)}:firehose:${record.region}:${record.accountId}:deliverystream/${record.name}`;
  }

  /** Whether a KinesisStreamAsSource delivery stream could read the stream of that ARN. */
  async sourceStreamExists(streamArn: string): Promise<boolean> {
    return (await this.#streamReader.describe(streamArn)) !== undefined;
  }

  newDeliveryStreamId(): string {
    return randomBytes(8).toString('hex');
  }

  // ---- control plane -------------------------------------------------------------------------

  /**
   * Runs `change` on the delivery stream's current record, one change per key at a time, and
   * stores its result with compare-and-set: a new record, `null` to delete the entry, or
   * undefined to leave it.
   */
  async mutate<T>(
    key: string,
    change: (
      current: LoadedDeliveryStream | undefined,
    ) =>
      | Promise<{ next?: DeliveryStreamRecord | null; result: T }>
      | { next?: DeliveryStreamRecord | null; result: T },
  ): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(() => this.#applyChange(key, change));
    const settled = run.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return run;
  }

  async #applyChange<T>(
    key: string,
    change: (
      current: LoadedDeliveryStream | undefined,
    ) =>
      | Promise<{ next?: DeliveryStreamRecord | null; result: T }>
      | { next?: DeliveryStreamRecord | null; result: T },
  ): Promise<T> {
    try {
      const current = this.#streams.get(key);
      const { next, result } = await change(current);
      if (next === null) {
        await this.catalog.delete(key, current?.version);
        this.#streams.delete(key);
        if (current !== undefined) {
          this.metrics.untrack(current.record);
          this.#log('delivery stream deleted', { deliveryStream: current.record.name });
        }
      } else if (next !== undefined) {
        const version = await this.catalog.put(key, next, current?.version ?? 0);
        this.#streams.set(key, { record: next, version, key });
        if (next.status !== current?.record.status) {
          this.#log(`delivery stream ${next.status}`, { deliveryStream: next.name, account: next.accountId });
        }
        if (next.transition !== undefined) this.#scheduleTransition(key, next);
      }
      if (next !== undefined) this.#syncWorker(key);
      return result;
    } catch (error) {
      if (
        (error instanceof CatalogError && error.code === 'Storage') ||
        (error instanceof LogStoreError && error.code === 'Storage')
      ) {
        throw serviceUnavailable('The metadata store cannot take writes right now; try again later.', error);
      }
      throw error;
    }
  }

  /**
   * Changes the delivery stream a request names through its queue; `change` sees the current
   * record (ResourceNotFoundException if it is gone or was re-created meanwhile).
   */
  async change<T>(
    scope: RequestScope,
    name: string,
    change: (record: DeliveryStreamRecord) => { next?: DeliveryStreamRecord; result: T },
  ): Promise<T> {
    const { key, record: found } = this.find(scope, name);
    return this.mutate(key, (current) => {
      const record = current?.record;
      if (record === undefined || record.deliveryStreamId !== found.deliveryStreamId) {
        throw deliveryStreamNotFound(name, scope.accountId);
      }
      return change(record);
    });
  }

  #scheduleTransition(key: string, record: DeliveryStreamRecord): void {
    const transition = record.transition;
    if (transition === undefined || this.#closed) return;
    this.#timers.get(key)?.();
    const delayMs = Math.max(0, transition.dueAtMs - this.clock.nowMs());
    const cancel = this.clock.schedule(delayMs, () => {
      this.#timers.delete(key);
      this.#finishTransition(key, record.deliveryStreamId).catch((error: unknown) => {
        this.#log('delivery stream transition failed; retrying in 1 s', { key, error: String(error) });
        if (this.#closed) return;
        const retry = this.clock.schedule(1000, () => {
          this.#timers.delete(key);
          const current = this.#streams.get(key);
          if (current !== undefined) this.#scheduleTransition(key, current.record);
        });
        this.#timers.set(key, retry);
      });
    });
    this.#timers.set(key, cancel);
  }

  /** Completes a pending transition. Idempotent: a finished one is a no-op. */
  async #finishTransition(key: string, deliveryStreamId: string): Promise<void> {
    await this.mutate(key, async (current) => {
      const record = current?.record;
      if (
        record === undefined ||
        record.deliveryStreamId !== deliveryStreamId ||
        record.transition === undefined
      ) {
        return { result: undefined };
      }
      const { transition, ...rest } = record;
      switch (transition.kind) {
        case 'create':
          if (record.type === 'DirectPut') await this.logStore.createLog(directPutLogId(record));
          return { next: { ...rest, status: 'ACTIVE' }, result: undefined };
        case 'encryption': {
          const { changesMs } = record.encryption;
          const encryption: EncryptionState =
            record.encryption.status === 'ENABLING'
              ? { ...record.encryption, status: 'ENABLED' }
              : { status: 'DISABLED', ...(changesMs === undefined ? {} : { changesMs }) };
          return { next: { ...rest, encryption }, result: undefined };
        }
        case 'delete': {
          // The worker was told to stop when the stream became DELETING; its last step must end
          // before the checkpoint goes, or it could write the checkpoint again.
          const worker = this.#workers.get(key);
          if (worker !== undefined) this.#stopWorker(key, worker);
          await this.#stopping.get(key);
          if (record.type === 'DirectPut') await this.logStore.deleteLog(directPutLogId(record));
          await this.catalog.delete(checkpointKey(record));
          this.errors.forget(record.deliveryStreamId);
          await this.catalog.delete(retryStateKey(record));
          return { next: null, result: undefined };
        }
      }
    });
  }

  /** Runs a delivery worker exactly for the ACTIVE delivery streams. */
  #syncWorker(key: string): void {
    const loaded = this.#streams.get(key);
    const worker = this.#workers.get(key);
    const wanted = loaded !== undefined && loaded.record.status === 'ACTIVE' && !this.#closed;
    if (wanted && worker === undefined) {
      const deliveryStreamId = loaded.record.deliveryStreamId;
      const created = new DeliveryWorker(
        {
          catalog: this.catalog,
          sink: this.#sink,
          clock: this.clock,
          logger: this.#log,
          metrics: this.metrics,
          errors: this.errors,
          functions: this.#functions,
          redshift: this.#redshift,
          bufferIntervalMsMax: this.options.bufferIntervalMsMax,
          current: () => this.#streams.get(key)?.record,
          openSource: (record, checkpoint) => this.#openSource(record, checkpoint),
          recordDestination: (_record, destination) =>
            makeRecordDestination(destination, {
              clock: this.clock,
              timeoutMs: this.options.destinationTimeoutMs ?? limits.httpEndpointResponseTimeoutMs,
              resolveDomain: (domainArn) => this.resolveDomain(domainArn),
            }),
          arnOf: (record) => this.arnOf(record),
        },
        deliveryStreamId,
      );
      this.#workers.set(key, created);
      created.start();
    } else if (!wanted && worker !== undefined) {
      this.#stopWorker(key, worker);
    } else if (wanted && worker !== undefined && !worker.serves(loaded.record.deliveryStreamId)) {
      this.#stopWorker(key, worker);
      this.#syncWorker(key);
    }
  }

  #stopWorker(key: string, worker: DeliveryWorker): void {
    this.#workers.delete(key);
    const stopped = worker.stop();
    this.#stopping.set(key, stopped);
    void stopped.then(() => {
      if (this.#stopping.get(key) === stopped) this.#stopping.delete(key);
    });
  }

  #openSource(record: DeliveryStreamRecord, checkpoint: SourcePosition | undefined): DeliverySource {
    if (record.kinesisSource !== undefined) {
      return new KinesisStreamSource(
        this.#streamReader,
        record.kinesisSource.kinesisStreamArn,
        this.clock,
        checkpoint,
      );
    }
    return new DirectPutSource(this.logStore, directPutLogId(record), checkpoint, {
      holds: this.#holds,
      deliveryStreamArn: this.arnOf(record),
      clock: this.clock,
    });
  }

  // ---- data plane ----------------------------------------------------------------------------

  /** A delivery stream that takes Direct PUT records. */
  findWritable(scope: RequestScope, name: string): DeliveryStreamRecord {
    const loaded = this.#streams.get(deliveryStreamKey(scope.accountId, scope.region, name));
    // AWS answers puts to a stream that is still CREATING as if it did not exist.
    if (loaded === undefined || loaded.record.status !== 'ACTIVE')
      throw deliveryStreamNotFound(name, scope.accountId);
    return loaded.record;
  }

  /** Appends records to the Direct PUT log; resolves once they are durable. */
  async append(record: DeliveryStreamRecord, datas: readonly Buffer[]): Promise<void> {
    await this.logStore.append(
      directPutLogId(record),
      datas.map((data) => ({ partitionKey: '', data })),
      this.clock.nowMs(),
    );
  }
}

export function deliveryStreamNotFound(name: string, accountId: string): ServiceError {
  return resourceNotFound(`Firehose ${name} under account ${accountId} not found.`);
}

export function checkActive(record: DeliveryStreamRecord): void {
  if (record.status !== 'ACTIVE') {
    throw resourceInUse(
      `Firehose ${record.name} under account ${record.accountId} is not ACTIVE, instead in state ${record.status}.`,
    );
  }
}
