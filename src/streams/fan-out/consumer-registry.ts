/**
 * Enhanced fan-out consumers: registration, lookup, status transitions and their persistence.
 *
 * Invariants:
 * - the catalog is the truth; the in-memory map mirrors it and changes only after a catalog
 *   write succeeded (compare-and-set on the entry's version);
 * - changes to one stream's consumers run one at a time (a per-stream queue), so the limits (20
 *   per stream, 5 CREATING) and name uniqueness hold under concurrent calls;
 * - CREATING → ACTIVE and DELETING → gone are resumable: each carries its due time and is
 *   scheduled again at open;
 * - a consumer never outlives its stream: when the stream's entry is removed or replaced (the
 *   service notifies its key), its consumers are deleted, and at open consumers of streams that
 *   no longer exist are deleted (a crash in between).
 * Every change is notified on the service's `changes` under the consumer's key, so that live
 * subscriptions of a consumer being deleted end.
 */
import { parseConsumerArn } from '../../core/arn.js';
import { invalidArgument, limitExceeded, resourceInUse, serviceUnavailable } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { CatalogError } from '../../catalog/catalog-error.js';
import { streamKey } from '../stream-model.js';
import {
  streamNotFound,
  type LoadedStream,
  type Logger,
  type RequestScope,
  type StreamsService,
} from '../streams-service.js';
import {
  consumerKeyOf,
  consumerNotActive,
  consumerNotFound,
  consumersPrefixOf,
  consumersPrefixOfStreamKey,
  creationSecondsOf,
  newConsumerRecord,
  type ConsumerRecord,
} from './consumer-model.js';

/** How a request names a consumer: its ARN, or its stream's ARN and its name. */
export interface ConsumerReference {
  readonly ConsumerARN?: string;
  readonly StreamARN?: string;
  readonly ConsumerName?: string;
}

export interface FoundConsumer {
  readonly record: ConsumerRecord;
  readonly key: string;
  readonly stream: LoadedStream;
}

interface Entry {
  readonly record: ConsumerRecord;
  readonly version: number;
}

const transitionRetryMs = 1000;

export class ConsumerRegistry {
  readonly #service: StreamsService;
  readonly #log: Logger;
  readonly #entries = new Map<string, Entry>();
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #timers = new Map<string, () => void>();
  #stopListening: (() => void) | undefined;
  #closed = false;

  constructor(service: StreamsService, logger: Logger) {
    this.#service = service;
    this.#log = logger;
  }

  async open(): Promise<void> {
    const entries = await this.#service.catalog.list<ConsumerRecord>('consumers/');
    for (const entry of entries) {
      this.#entries.set(entry.key, { record: entry.value, version: entry.version });
    }
    this.#stopListening = this.#service.changes.listenAll((key) => {
      const prefix = consumersPrefixOfStreamKey(key);
      if (prefix !== undefined) this.#dropOrphans(prefix);
    });
    const prefixes = new Set(
      entries.map((entry) =>
        consumersPrefixOf(entry.value.accountId, entry.value.region, entry.value.streamName),
      ),
    );
    for (const prefix of prefixes) this.#dropOrphans(prefix);
    for (const entry of entries) this.#schedule(entry.key, entry.value);
    if (entries.length > 0) this.#log('consumers loaded', { consumers: entries.length });
  }

  close(): void {
    this.#closed = true;
    this.#stopListening?.();
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  // ---- lookups ---------------------------------------------------------------------------

  /** Consumers of a stream (this incarnation), by name. */
  consumersOf(stream: LoadedStream): ConsumerRecord[] {
    const { accountId, region, name, streamId } = stream.record;
    const prefix = consumersPrefixOf(accountId, region, name);
    const found: ConsumerRecord[] = [];
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(prefix) && entry.record.streamId === streamId) found.push(entry.record);
    }
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * The consumer a request names, by ConsumerARN (whose creation time must match) or by StreamARN
   * and ConsumerName; ResourceNotFoundException when there is none.
   */
  find(scope: RequestScope, reference: ConsumerReference): FoundConsumer {
    const { ConsumerARN: arn, StreamARN: streamArn, ConsumerName: name } = reference;
    if (arn !== undefined) {
      const parts = parseConsumerArn(arn);
      if (parts === undefined) throw consumerNotFound(arn);
      const stream = this.#service.lookup(parts.accountId, parts.region, parts.streamName);
      if (stream === undefined) throw streamNotFound(parts.streamName, parts.accountId);
      const key = consumerKeyOf({ ...parts, name: parts.consumerName });
      const record = this.#entries.get(key)?.record;
      if (
        record === undefined ||
        record.streamId !== stream.record.streamId ||
        creationSecondsOf(record) !== parts.creationSeconds
      ) {
        throw consumerNotFound(arn);
      }
      return { record, key, stream };
    }
    if (streamArn === undefined || name === undefined) {
      throw invalidArgument('ConsumerARN or both ConsumerName and StreamARN are required for this request.');
    }
    const stream = this.#service.findStream(scope, { StreamARN: streamArn });
    const key = consumerKeyOf({ ...stream.record, streamName: stream.record.name, name });
    const record = this.#entries.get(key)?.record;
    if (record === undefined || record.streamId !== stream.record.streamId) throw consumerNotFound(name);
    return { record, key, stream };
  }

  /** The current record of a consumer (same incarnation), or undefined once it is gone. */
  current(key: string, createdAtMs: number): ConsumerRecord | undefined {
    const record = this.#entries.get(key)?.record;
    return record?.createdAtMs === createdAtMs ? record : undefined;
  }

  // ---- changes ---------------------------------------------------------------------------

  async register(
    stream: LoadedStream,
    name: string,
    tags: Readonly<Record<string, string>>,
  ): Promise<ConsumerRecord> {
    const { accountId, region } = stream.record;
    const prefix = consumersPrefixOf(accountId, region, stream.record.name);
    return this.#enqueue(prefix, async () => {
      const current = this.#service.lookup(accountId, region, stream.record.name);
      if (current === undefined || current.record.streamId !== stream.record.streamId) {
        throw streamNotFound(stream.record.name, accountId);
      }
      const existing = this.consumersOf(current);
      if (existing.some((consumer) => consumer.name === name)) {
        throw resourceInUse(
          `Consumer ${name} under stream ${stream.record.name} and account ${accountId} already exists.`,
        );
      }
      if (existing.length >= limits.consumersPerStreamMax) {
        throw limitExceeded(
          `Consumer limit of ${limits.consumersPerStreamMax} exceeded for stream ${stream.record.name} under account ${accountId}.`,
        );
      }
      if (
        existing.filter((consumer) => consumer.status === 'CREATING').length >= limits.consumersCreatingMax
      ) {
        throw limitExceeded(
          `Only ${limits.consumersCreatingMax} consumers can be in CREATING status at the same time; stream ${stream.record.name} under account ${accountId}.`,
        );
      }
      const nowMs = this.#service.clock.nowMs();
      const dueAtMs = nowMs + this.#service.options.transitionDelayMs;
      const record = newConsumerRecord(current.record, name, nowMs, dueAtMs, tags);
      await this.#write(consumerKeyOf(record), record);
      return record;
    });
  }

  /** ACTIVE → DELETING; the consumer is gone after the transition delay. */
  async deregister(found: FoundConsumer): Promise<void> {
    await this.#change(found, (record) => {
      if (record.status !== 'ACTIVE') throw consumerNotActive(record);
      const dueAtMs = this.#service.clock.nowMs() + this.#service.options.transitionDelayMs;
      return { ...record, status: 'DELETING', dueAtMs };
    });
  }

  /** Changes an ACTIVE consumer's tags or policy: `change` answers the new record. */
  async update(found: FoundConsumer, change: (record: ConsumerRecord) => ConsumerRecord): Promise<void> {
    await this.#change(found, (record) => {
      if (record.status !== 'ACTIVE') throw consumerNotActive(record);
      return change(record);
    });
  }

  async #change(found: FoundConsumer, change: (record: ConsumerRecord) => ConsumerRecord): Promise<void> {
    const prefix = consumersPrefixOf(found.record.accountId, found.record.region, found.record.streamName);
    await this.#enqueue(prefix, async () => {
      const record = this.current(found.key, found.record.createdAtMs);
      if (record === undefined || record.streamId !== found.record.streamId) {
        throw consumerNotFound(found.record.name);
      }
      await this.#write(found.key, change(record));
    });
  }

  #enqueue<T>(prefix: string, run: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(prefix) ?? Promise.resolve();
    const result = previous.then(run);
    const settled = result.catch(() => undefined);
    this.#queues.set(prefix, settled);
    void settled.then(() => {
      if (this.#queues.get(prefix) === settled) this.#queues.delete(prefix);
    });
    return result;
  }

  /** Stores a record (or deletes the entry for null), then mirrors and schedules it. */
  async #write(key: string, record: ConsumerRecord | null): Promise<void> {
    const entry = this.#entries.get(key);
    try {
      if (record === null) {
        await this.#service.catalog.delete(key, entry?.version);
        this.#entries.delete(key);
        this.#timers.get(key)?.();
        this.#timers.delete(key);
        if (entry !== undefined) this.#log('consumer deleted', describe(entry.record));
      } else {
        const version = await this.#service.catalog.put(key, record, entry?.version ?? 0);
        this.#entries.set(key, { record, version });
        if (record.status !== entry?.record.status) this.#log(`consumer ${record.status}`, describe(record));
        this.#schedule(key, record);
      }
    } catch (error) {
      if (error instanceof CatalogError && error.code === 'Storage') {
        throw serviceUnavailable('The metadata store cannot take writes right now; try again later.', error);
      }
      throw error;
    }
    this.#service.changes.notify(key);
  }

  #schedule(key: string, record: ConsumerRecord): void {
    if (this.#closed || record.status === 'ACTIVE' || record.dueAtMs === undefined) return;
    this.#timers.get(key)?.();
    const delayMs = Math.max(0, record.dueAtMs - this.#service.clock.nowMs());
    this.#timers.set(
      key,
      this.#service.clock.schedule(delayMs, () => {
        this.#timers.delete(key);
        this.#finish(key, record.createdAtMs).catch((error: unknown) => {
          this.#log('consumer transition failed; retrying in 1 s', { key, error: String(error) });
          if (this.#closed) return;
          this.#timers.set(
            key,
            this.#service.clock.schedule(transitionRetryMs, () => {
              this.#timers.delete(key);
              const current = this.#entries.get(key)?.record;
              if (current !== undefined) this.#schedule(key, current);
            }),
          );
        });
      }),
    );
  }

  /** Completes CREATING or DELETING. Idempotent: a finished transition is a no-op. */
  async #finish(key: string, createdAtMs: number): Promise<void> {
    const record = this.current(key, createdAtMs);
    if (record === undefined) return;
    const prefix = consumersPrefixOf(record.accountId, record.region, record.streamName);
    await this.#enqueue(prefix, async () => {
      const latest = this.current(key, createdAtMs);
      if (latest === undefined || latest.status === 'ACTIVE') return;
      if (latest.status === 'DELETING') return this.#write(key, null);
      const { dueAtMs: _done, ...rest } = latest;
      return this.#write(key, { ...rest, status: 'ACTIVE' });
    });
  }

  /** Deletes the consumers under `prefix` whose stream incarnation no longer exists. */
  #dropOrphans(prefix: string): void {
    const orphans = [...this.#entries].filter(([key, entry]) => {
      if (!key.startsWith(prefix)) return false;
      const { accountId, region, streamName, streamId } = entry.record;
      const stream = this.#service.lookup(accountId, region, streamName);
      return stream === undefined || stream.record.streamId !== streamId;
    });
    if (orphans.length === 0) return;
    void this.#enqueue(prefix, async () => {
      for (const [key, entry] of orphans) {
        if (this.#entries.get(key)?.record.createdAtMs !== entry.record.createdAtMs) continue;
        await this.#write(key, null);
      }
    }).catch((error: unknown) => {
      this.#log('deleting the consumers of a deleted stream failed; retried at next start', {
        prefix,
        error: String(error),
      });
    });
  }
}

/** The stream key a consumer belongs to. */
export const streamKeyOfConsumer = (record: ConsumerRecord): string =>
  streamKey(record.accountId, record.region, record.streamName);

function describe(record: ConsumerRecord): Record<string, unknown> {
  return {
    consumer: record.name,
    stream: record.streamName,
    account: record.accountId,
    region: record.region,
  };
}
