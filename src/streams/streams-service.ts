/**
 * The Kinesis Data Streams service: stream state, its persistence in the catalog, resumable
 * status transitions, and the primitives the actions (`actions/<Operation>.ts`) are built on.
 *
 * Invariants:
 * - the catalog is the durable truth for metadata; the in-memory map mirrors it and is changed
 *   only after the catalog write succeeded (compare-and-set on the entry's version);
 * - control-plane mutations of one stream run one at a time (a per-stream queue);
 * - a stream in CREATING or DELETING carries its transition and due time, so a restart in the
 *   middle finishes it instead of leaving the stream stuck;
 * - every shard's log exists before the stream that names it becomes visible as ACTIVE, and logs
 *   of streams that no longer exist are deleted at start (a crash during DeleteStream).
 */
import { randomBytes } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import { parseStreamArn, streamArn } from '../core/arn.js';
import type { Clock } from '../core/clock.js';
import type { RequestScope } from '../core/request-scope.js';
import { invalidArgument, resourceNotFound, ServiceError, serviceUnavailable } from '../core/errors.js';
import { CatalogError } from '../catalog/catalog-error.js';
import { LogStoreError, type LogStore } from '../log/log-store.js';
import { AccountSettings } from './account-settings.js';
import { ChangeSignal } from './change-signal.js';
import { Keyring } from './keyring.js';
import { RecordEncryption } from './record-encryption.js';
import { applyReshard } from './reshard.js';
import { applyEncryptionChange } from './stream-encryption.js';
import { TokenSealer } from './sealed-token.js';
import { ShardRouter } from './shard-router.js';
import { limitsOff, StreamLimits, type StreamLimitsOptions } from './throughput/stream-limits.js';
import { StreamMetrics } from './stream-metrics.js';
import { isStreamLogId, logIdOf, streamKey, type ShardRecord, type StreamRecord } from './stream-model.js';
import { MetricsRegistry } from '../core/metrics.js';

export type Logger = (message: string, fields?: Record<string, unknown>) => void;

export interface StreamsOptions {
  /** How long CREATING and DELETING last. */
  readonly transitionDelayMs: number;
  /** Open shards allowed per account and region (provisioned streams). */
  readonly accountShardLimit: number;
  /** Throughput, rates and fault injection; none when absent (in-process tests). */
  readonly limits?: StreamLimitsOptions;
}

export type { RequestScope } from '../core/request-scope.js';

/** How a request names a stream: by name (in the caller's scope) and/or ARN. */
export interface StreamReference {
  readonly StreamName?: string;
  readonly StreamARN?: string;
}

export interface LoadedStream {
  readonly record: StreamRecord;
  readonly version: number;
  readonly key: string;
  readonly router: ShardRouter | undefined;
  readonly arn: string;
}

const tokenKeyEntry = 'system/token-key';

export class StreamsService {
  readonly catalog: Catalog;
  readonly logStore: LogStore;
  readonly clock: Clock;
  readonly options: StreamsOptions;
  /**
   * Notified with a log id after records were appended to it, and with a stream's catalog key
   * after its entry changed: what enhanced fan-out subscriptions wait on.
   */
  readonly changes = new ChangeSignal();
  /** Encryption at rest: the keyring and the sealing of records (Start/StopStreamEncryption). */
  readonly encryption: RecordEncryption;
  /** DescribeAccountSettings / UpdateAccountSettings: the billing commitment for warm throughput. */
  readonly accountSettings: AccountSettings;
  /** AWS's throughput and rate limits (`--limits`), and fault injection. */
  readonly limits: StreamLimits;
  /** The CloudWatch-named metrics of every stream (served at GET /metrics). */
  readonly metrics: StreamMetrics;
  readonly #log: Logger;
  readonly #streams = new Map<string, LoadedStream>();
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #timers = new Map<string, () => void>();
  #sealer: TokenSealer | undefined;
  #closed = false;
  readonly #writeGates = new Map<string, Promise<void>>();
  readonly #inflight = new Map<string, number>();
  readonly #drainWaiters = new Map<string, (() => void)[]>();
  #lastStorageReportMs = -Infinity;

  constructor(deps: {
    catalog: Catalog;
    logStore: LogStore;
    clock: Clock;
    logger: Logger;
    options: StreamsOptions;
    /** Defaults to metrics in a registry of their own (tests that do not look at them). */
    metrics?: StreamMetrics;
  }) {
    this.catalog = deps.catalog;
    this.logStore = deps.logStore;
    this.clock = deps.clock;
    this.#log = deps.logger;
    this.options = deps.options;
    this.encryption = new RecordEncryption(new Keyring(deps.catalog, deps.clock));
    this.accountSettings = new AccountSettings(deps.catalog);
    this.limits = new StreamLimits(deps.clock, deps.options.limits ?? limitsOff);
    this.metrics = deps.metrics ?? new StreamMetrics(new MetricsRegistry());
  }

  get sealer(): TokenSealer {
    if (this.#sealer === undefined) throw new Error('StreamsService is not open');
    return this.#sealer;
  }

  /** Loads every stream, resumes pending transitions and deletes orphaned logs. */
  async open(): Promise<void> {
    this.#sealer = new TokenSealer(await this.#tokenKey());
    const entries = await this.catalog.list<StreamRecord>('streams/');
    const liveStreamIds = new Set<string>();
    for (const entry of entries) {
      this.#remember(entry.key, entry.value, entry.version);
      liveStreamIds.add(entry.value.streamId);
      if (entry.value.transition !== undefined) this.#scheduleTransition(entry.key, entry.value);
    }
    for (const logId of await this.logStore.listLogs()) {
      if (!isStreamLogId(logId)) continue;
      const streamId = logId.slice(0, logId.lastIndexOf('-'));
      if (!liveStreamIds.has(streamId)) {
        this.#log('deleting log of a stream that no longer exists', { logId });
        await this.logStore.deleteLog(logId);
      }
    }
    this.#log('streams loaded', { streams: entries.length });
  }

  close(): void {
    this.#closed = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  async #tokenKey(): Promise<Buffer> {
    const existing = await this.catalog.get<string>(tokenKeyEntry);
    if (existing !== undefined) return Buffer.from(existing.value, 'base64');
    const key = randomBytes(32);
    await this.catalog.put(tokenKeyEntry, key.toString('base64'), 0);
    return key;
  }

  #remember(key: string, record: StreamRecord, version: number): LoadedStream {
    const hasOpenShards = record.shards.some((shard) => shard.closedAtMs === undefined);
    const loaded: LoadedStream = {
      record,
      version,
      key,
      router: hasOpenShards ? new ShardRouter(record.shards) : undefined,
      arn: streamArn(record.region, record.accountId, record.name),
    };
    this.#streams.set(key, loaded);
    this.metrics.track(key, record);
    return loaded;
  }

  // ---- lookups ---------------------------------------------------------------------------

  /**
   * Resolves a StreamName and/or StreamARN in the caller's scope. The ARN's account and region
   * win over the credentials', as on AWS.
   */
  scopeOf(
    scope: RequestScope,
    reference: StreamReference,
  ): { accountId: string; region: string; name: string } {
    const { StreamName: name, StreamARN: arn } = reference;
    if (arn !== undefined) {
      const parts = parseStreamArn(arn);
      if (parts === undefined) throw invalidArgument(`Invalid StreamARN ${arn}.`);
      if (name !== undefined && name !== parts.streamName) {
        throw invalidArgument(`StreamARN ${arn} and StreamName ${name} do not refer to the same stream.`);
      }
      return { accountId: parts.accountId, region: parts.region, name: parts.streamName };
    }
    if (name === undefined) {
      throw new ServiceError('ValidationException', 'Either StreamName or StreamARN must be provided.');
    }
    return { accountId: scope.accountId, region: scope.region, name };
  }

  /** The stream, whatever its status; ResourceNotFoundException when there is none. */
  findStream(scope: RequestScope, reference: StreamReference): LoadedStream {
    const { accountId, region, name } = this.scopeOf(scope, reference);
    const loaded = this.#streams.get(streamKey(accountId, region, name));
    if (loaded === undefined) throw streamNotFound(name, accountId);
    return loaded;
  }

  /** A stream that takes data-plane calls (ACTIVE or UPDATING); others are "not found". */
  findReadyStream(scope: RequestScope, reference: StreamReference): LoadedStream {
    const loaded = this.findStream(scope, reference);
    const status = loaded.record.status;
    if (status !== 'ACTIVE' && status !== 'UPDATING') {
      throw streamNotFound(loaded.record.name, loaded.record.accountId);
    }
    return loaded;
  }

  lookup(accountId: string, region: string, name: string): LoadedStream | undefined {
    return this.#streams.get(streamKey(accountId, region, name));
  }

  /** Every stream of an account and region, by name. */
  streamsIn(accountId: string, region: string): LoadedStream[] {
    const prefix = `streams/${accountId}/${region}/`;
    return [...this.#streams.values()]
      .filter((loaded) => loaded.key.startsWith(prefix))
      .sort((a, b) => (a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0));
  }

  // ---- control plane -------------------------------------------------------------------------

  /**
   * Runs `change` on the stream's current record, one change per stream at a time, and stores
   * its result with compare-and-set. `change` returns the new record, `null` to delete the entry,
   * or undefined to leave it as it is.
   */
  async mutate<T>(
    key: string,
    change: (current: LoadedStream | undefined) => Promise<{ next?: StreamRecord | null; result: T }>,
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
    change: (current: LoadedStream | undefined) => Promise<{ next?: StreamRecord | null; result: T }>,
  ): Promise<T> {
    try {
      const current = this.#streams.get(key);
      const { next, result } = await change(current);
      if (next === null) {
        await this.catalog.delete(key, current?.version);
        this.#streams.delete(key);
        this.metrics.untrack(key);
        if (current !== undefined) this.#log('stream deleted', describe(current.record));
      } else if (next !== undefined) {
        const version = await this.catalog.put(key, next, current?.version ?? 0);
        this.#remember(key, next, version);
        if (next.status !== current?.record.status) this.#log(`stream ${next.status}`, describe(next));
        if (next.transition !== undefined) this.#scheduleTransition(key, next);
      }
      if (next !== undefined) this.changes.notify(key);
      return result;
    } catch (error) {
      if (error instanceof CatalogError && error.code === 'Storage') {
        this.logStoreFailed(error);
        throw serviceUnavailable('The metadata store cannot take writes right now; try again later.', error);
      }
      if (error instanceof LogStoreError && error.code === 'Storage') {
        this.logStoreFailed(error);
        throw serviceUnavailable('The log store cannot take writes right now; try again later.', error);
      }
      throw error;
    }
  }

  /**
   * Changes the stream a request names, through the per-stream queue: `change` sees its current
   * record (ResourceNotFoundException if it is gone or was re-created meanwhile) and returns the
   * new record, or no `next` to leave it.
   */
  async changeStream<T>(
    scope: RequestScope,
    reference: StreamReference,
    change: (record: StreamRecord) => { next?: StreamRecord; result: T },
  ): Promise<T> {
    const { key, record: found } = this.findStream(scope, reference);
    return this.mutate(key, async (current) => {
      const record = current?.record;
      if (record === undefined || record.streamId !== found.streamId) {
        throw streamNotFound(found.name, found.accountId);
      }
      return change(record);
    });
  }

  /** `changeStream` for an ACTIVE stream only (ResourceInUseException otherwise). */
  async updateActiveStream<T>(
    scope: RequestScope,
    reference: StreamReference,
    change: (record: StreamRecord) => { next?: StreamRecord; result: T },
  ): Promise<T> {
    return this.changeStream(scope, reference, (record) => {
      checkActive(record);
      return change(record);
    });
  }

  arnOf(record: Pick<StreamRecord, 'region' | 'accountId' | 'name'>): string {
    return streamArn(record.region, record.accountId, record.name);
  }

  newStreamId(): string {
    return randomBytes(8).toString('hex');
  }

  /** Open shards of every stream in the scope, for the account shard limit. */
  openShardCount(accountId: string, region: string): number {
    let count = 0;
    for (const loaded of this.streamsIn(accountId, region)) {
      count += loaded.record.shards.filter((shard) => shard.closedAtMs === undefined).length;
    }
    return count;
  }

  #scheduleTransition(key: string, record: StreamRecord): void {
    const transition = record.transition;
    if (transition === undefined || this.#closed) return;
    this.#timers.get(key)?.();
    const delayMs = Math.max(0, transition.dueAtMs - this.clock.nowMs());
    const cancel = this.clock.schedule(delayMs, () => {
      this.#timers.delete(key);
      this.finishTransition(key, record.streamId).catch((error: unknown) => {
        this.#log('stream transition failed; retrying in 1 s', { key, error: String(error) });
        if (!this.#closed) {
          const retry = this.clock.schedule(1000, () => {
            this.#timers.delete(key);
            const current = this.#streams.get(key);
            if (current !== undefined) this.#scheduleTransition(key, current.record);
          });
          this.#timers.set(key, retry);
        }
      });
    });
    this.#timers.set(key, cancel);
  }

  /** Completes a CREATING or DELETING stream. Idempotent: a finished transition is a no-op. */
  async finishTransition(key: string, streamId: string): Promise<void> {
    let releaseWrites: (() => void) | undefined;
    try {
      await this.mutate(key, (current) =>
        this.#finish(key, streamId, current, (release) => (releaseWrites = release)),
      );
    } finally {
      // Released only once the new record and router are in place.
      releaseWrites?.();
    }
  }

  async #finish(
    key: string,
    streamId: string,
    current: LoadedStream | undefined,
    holdWrites: (release: () => void) => void,
  ): Promise<{ next?: StreamRecord | null; result: undefined }> {
    const record = current?.record;
    if (record === undefined || record.streamId !== streamId || record.transition === undefined) {
      return { result: undefined };
    }
    if (record.transition.kind === 'update') {
      holdWrites(this.#closeWriteGate(key));
      await this.#appendsDrained(key);
      return { next: await this.#applyUpdate(record), result: undefined };
    }
    if (record.transition.kind === 'create') {
      for (const shard of record.shards) await this.logStore.createLog(logIdOf(record, shard.index));
      const { transition: _done, ...rest } = record;
      return { next: { ...rest, status: 'ACTIVE' }, result: undefined };
    }
    for (const shard of record.shards) await this.logStore.deleteLog(logIdOf(record, shard.index));
    return { next: null, result: undefined };
  }

  /** Reports a storage failure once per second at most, so a full disk does not flood the log. */
  logStoreFailed(error: Error): void {
    const nowMs = this.clock.nowMs();
    if (nowMs - this.#lastStorageReportMs < 1000) return;
    this.#lastStorageReportMs = nowMs;
    this.#log('storage failure: writes are failing', {
      error: error.message,
      cause: String(error.cause ?? ''),
    });
  }

  /** A record failed its checksum on read: said every time, since data is at stake. */
  reportCorruption(error: Error, fields: Record<string, unknown>): void {
    this.#log('CORRUPT record in the log: reads of this shard fail until it is repaired', {
      ...fields,
      error: error.message,
    });
  }

  /** Shards still listed: open ones, and closed ones whose data is within retention; by index. */
  visibleShards(record: StreamRecord): ShardRecord[] {
    const cutoffMs = this.clock.nowMs() - this.retentionMs(record);
    return record.shards
      .filter((shard) => shard.closedAtMs === undefined || shard.closedAtMs >= cutoffMs)
      .sort((a, b) => a.index - b.index);
  }

  /**
   * Completes UPDATING: applies the reshard and mode change. Runs with the stream's write gate
   * closed and its in-flight appends drained, so a closed shard's end offset counts every record
   * acknowledged in it.
   */
  async #applyUpdate(record: StreamRecord): Promise<StreamRecord> {
    const { transition, ...rest } = record;
    if (transition === undefined) return record;
    const applied = applyReshard(
      record.shards,
      record.nextShardIndex,
      transition.steps ?? [],
      this.clock.nowMs(),
    );
    for (const index of [...applied.openedIndexes, ...applied.transientIndexes]) {
      await this.logStore.createLog(logIdOf(record, index));
    }
    const endOffsets = new Map<number, number>();
    for (const index of applied.closedIndexes) {
      endOffsets.set(index, (await this.logStore.bounds(logIdOf(record, index))).endOffset);
    }
    const shards = applied.shards.map((shard) =>
      endOffsets.has(shard.index) ? { ...shard, endOffset: endOffsets.get(shard.index) } : shard,
    );
    const encryption =
      transition.encryption === undefined
        ? {}
        : applyEncryptionChange(record, transition.encryption, this.clock.nowMs());
    const warm = transition.warmThroughputMiBps;
    const mode = transition.mode ?? record.mode;
    // Warm throughput belongs to on-demand streams; a switch to PROVISIONED drops it.
    // So does an AUTO record distribution strategy (provisioned streams have none).
    const { warmThroughput: _previousWarm, recordDistribution, ...unwarmed } = rest;
    const warmThroughput =
      mode !== 'ON_DEMAND'
        ? undefined
        : warm === undefined
          ? record.warmThroughput
          : { targetMiBps: warm, currentMiBps: warm };
    return {
      ...unwarmed,
      ...encryption,
      ...(warmThroughput === undefined ? {} : { warmThroughput }),
      ...(recordDistribution === undefined || mode !== 'ON_DEMAND' ? {} : { recordDistribution }),
      status: 'ACTIVE',
      mode,
      shards,
      nextShardIndex: applied.nextShardIndex,
    };
  }

  /** Makes new writes to a stream wait until the returned function is called. */
  #closeWriteGate(key: string): () => void {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.#writeGates.set(key, gate);
    return () => {
      if (this.#writeGates.get(key) === gate) this.#writeGates.delete(key);
      release();
    };
  }

  /**
   * Called before a write routes records: waits while the stream's shards are changing, counts
   * the write as in flight, and returns the stream as it is now (its router may be new).
   */
  async beginAppend(loaded: LoadedStream): Promise<LoadedStream> {
    for (
      let gate = this.#writeGates.get(loaded.key);
      gate !== undefined;
      gate = this.#writeGates.get(loaded.key)
    ) {
      await gate;
    }
    const current = this.#streams.get(loaded.key);
    if (current === undefined || current.record.streamId !== loaded.record.streamId) {
      throw streamNotFound(loaded.record.name, loaded.record.accountId);
    }
    this.#inflight.set(loaded.key, (this.#inflight.get(loaded.key) ?? 0) + 1);
    return current;
  }

  endAppend(loaded: LoadedStream): void {
    const count = (this.#inflight.get(loaded.key) ?? 1) - 1;
    if (count > 0) {
      this.#inflight.set(loaded.key, count);
      return;
    }
    this.#inflight.delete(loaded.key);
    const waiters = this.#drainWaiters.get(loaded.key) ?? [];
    this.#drainWaiters.delete(loaded.key);
    for (const waiter of waiters) waiter();
  }

  #appendsDrained(key: string): Promise<void> {
    if ((this.#inflight.get(key) ?? 0) === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#drainWaiters.get(key) ?? [];
      waiters.push(resolve);
      this.#drainWaiters.set(key, waiters);
    });
  }

  /** Milliseconds of data kept: records older than now minus this are not returned. */
  retentionMs(record: StreamRecord): number {
    return record.retentionHours * 3_600_000;
  }

  /** Drops whole log segments past retention, for every shard of every stream. */
  async applyRetention(): Promise<void> {
    const nowMs = this.clock.nowMs();
    for (const loaded of this.#streams.values()) {
      const record = loaded.record;
      if (record.status === 'CREATING' || record.status === 'DELETING') continue;
      for (const shard of record.shards) {
        await this.logStore.trimBefore(logIdOf(record, shard.index), nowMs - this.retentionMs(record));
      }
    }
  }
}

/** AWS's answer to a change of a stream that is CREATING, UPDATING or DELETING. */
export function checkActive(record: StreamRecord): void {
  if (record.status !== 'ACTIVE') {
    throw new ServiceError(
      'ResourceInUseException',
      `Stream ${record.name} under account ${record.accountId} not ACTIVE, instead in state ${record.status}`,
    );
  }
}

/** AWS's answer when a request would take the account past its shard quota. */
export function checkShardLimit(
  service: StreamsService,
  accountId: string,
  region: string,
  additionalShards: number,
): void {
  const openShards = service.openShardCount(accountId, region);
  const limit = service.options.accountShardLimit;
  if (additionalShards > 0 && openShards + additionalShards > limit) {
    throw new ServiceError(
      'LimitExceededException',
      `This request would exceed the shard limit for the account ${accountId} in ${region}. ` +
        `Current shard count for the account: ${openShards}. Limit: ${limit}. ` +
        `Number of additional shards that would have resulted from this request: ${additionalShards}. ` +
        'Refer to the AWS Service Limits page (https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) ' +
        'for current limits and how to request higher limits.',
    );
  }
}

export function streamNotFound(name: string, accountId: string): ServiceError {
  return resourceNotFound(`Stream ${name} under account ${accountId} not found.`);
}

function describe(record: StreamRecord): Record<string, unknown> {
  return {
    stream: record.name,
    account: record.accountId,
    region: record.region,
    shards: record.shards.length,
  };
}
