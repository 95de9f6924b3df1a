/**
 * Reads every shard of a stream with GetRecords, in lineage order: a shard is read only after
 * its parents were read to their end, so records of one partition key come out in order across
 * splits and merges. Children are found from the ChildShards of a closed shard's last
 * GetRecords, and from ListShards when a parent is unknown or ChildShards are missing.
 *
 * Two modes:
 * - `follow` (tail): runs until aborted; shards created while it runs are read from their start.
 * - `snapshot` (export): from TRIM_HORIZON to the tip at the start: closed shards to their end,
 *   shards open at the start up to their `SnapshotFence`; shards created later are not read.
 *
 * Batches are handed to `onBatch` one at a time (never concurrently); a shard reads on only once
 * its batch was taken, so a slow consumer slows the reads instead of filling memory. GetRecords
 * runs at most 5 times a second per shard; throttling is retried with backoff; an expired
 * iterator is renewed after the last record read.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type _Record,
  type ChildShard,
  type GetRecordsCommandOutput,
  type KinesisClient,
  type ListShardsCommandInput,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import { assert } from '../core/assert.js';
import { CallPacer, getRecordsSpacingMs, retryThrottled, sleepUnlessAborted } from './read-pacing.js';
import { ShardLineage } from './shard-lineage.js';
import { SnapshotFence } from './snapshot-fence.js';

export type StartingPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date };

export interface ShardBatch {
  readonly shardId: string;
  readonly records: readonly _Record[];
  readonly millisBehindLatest: number | undefined;
}

export interface ShardLineageReaderOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly mode: 'follow' | 'snapshot';
  /** Where shards open at the start begin; `snapshot` needs TRIM_HORIZON. */
  readonly start: StartingPosition;
  readonly onBatch: (batch: ShardBatch) => Promise<void> | void;
  readonly onShardStart?: (shardId: string) => void;
  readonly onShardEnd?: (shardId: string, reason: 'closed' | 'snapshot-end') => void;
  readonly onThrottled?: (shardId: string, error: Error) => void;
  readonly signal?: AbortSignal;
  /** Pause after a read that found nothing new at the tip; 500 ms by default. */
  readonly idlePollMs?: number;
  /** GetRecords Limit; 10,000 (AWS's maximum) by default. */
  readonly recordsPerCallMax?: number;
}

const fenceKeepAliveMs = 60_000;

interface ShardPlan {
  readonly position: StartingPosition;
  readonly fence: boolean;
}

export class ShardLineageReader {
  readonly #options: ShardLineageReaderOptions;
  readonly #lineage = new ShardLineage();
  readonly #plans = new Map<string, ShardPlan>();
  readonly #fences = new Map<string, SnapshotFence>();
  readonly #pacers = new Map<string, CallPacer>();
  readonly #abort = new AbortController();
  #delivery: Promise<void> = Promise.resolve();
  #failure: unknown = undefined;
  #needsDiscovery = false;

  constructor(options: ShardLineageReaderOptions) {
    assert(
      options.mode === 'follow' || options.start.type === 'TRIM_HORIZON',
      'a snapshot starts at TRIM_HORIZON',
    );
    this.#options = options;
  }

  /** Shards this reader will read or has read (known so far). */
  get shardsIncluded(): number {
    return this.#lineage.count('waiting') + this.#lineage.count('reading') + this.#lineage.count('finished');
  }

  get shardsFinished(): number {
    return this.#lineage.count('finished');
  }

  /** Resolves when a snapshot is complete; a follow read resolves only when aborted. */
  async run(): Promise<void> {
    const outer = this.#options.signal;
    const onOuterAbort = (): void => this.#abort.abort();
    if (outer?.aborted === true) return;
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const running = new Set<Promise<void>>();
    let keepAlive: NodeJS.Timeout | undefined;
    try {
      await this.#plan();
      if (this.#options.mode === 'snapshot') {
        keepAlive = setInterval(() => this.#keepFencesAlive(), fenceKeepAliveMs);
      }
      const schedule = async (): Promise<void> => {
        if (this.#needsDiscovery || this.#lineage.unknownParents().length > 0) {
          this.#needsDiscovery = false;
          await this.#discover();
        }
        for (const shardId of this.#lineage.takeReady()) {
          const task: Promise<void> = this.#readShard(shardId)
            .catch((error: unknown) => this.#fail(error))
            .finally(() => running.delete(task));
          running.add(task);
        }
      };
      await schedule();
      while (!this.#abort.signal.aborted) {
        if (running.size === 0) {
          if (this.#options.mode === 'snapshot') break;
          // Following with nothing readable: only a ListShards can show new shards.
          await sleepUnlessAborted(1000, this.#abort.signal).catch(() => undefined);
          await this.#discover().catch((error: unknown) => this.#fail(error));
        } else {
          await Promise.race(running);
        }
        if (!this.#abort.signal.aborted) await schedule().catch((error: unknown) => this.#fail(error));
      }
      await Promise.allSettled([...running]);
      await this.#delivery;
    } catch (error) {
      this.#fail(error);
    } finally {
      if (keepAlive !== undefined) clearInterval(keepAlive);
      outer?.removeEventListener('abort', onOuterAbort);
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  #fail(error: unknown): void {
    if (this.#abort.signal.aborted && (error as Error)?.name === 'AbortError') return;
    if (this.#failure === undefined) this.#failure = error;
    this.#abort.abort();
  }

  /** The first ListShards decides which shards are read and from where. */
  async #plan(): Promise<void> {
    const { start, mode } = this.#options;
    const shards = await this.#listShards();
    const roots = new Set<string>();
    if (start.type === 'AT_TIMESTAMP') {
      const atTime = await this.#listShards({ Type: 'AT_TIMESTAMP', Timestamp: start.timestamp });
      for (const shard of atTime) roots.add(shard.ShardId as string);
    }
    const all = new ShardLineage();
    for (const shard of shards) all.add(shard.ShardId as string, parentsOf(shard), 'waiting');
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      const open = shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
      switch (start.type) {
        case 'TRIM_HORIZON':
          this.#plans.set(shardId, { position: start, fence: mode === 'snapshot' && open });
          break;
        case 'LATEST':
          if (open) this.#plans.set(shardId, { position: start, fence: false });
          break;
        case 'AT_TIMESTAMP':
          if (roots.has(shardId)) this.#plans.set(shardId, { position: start, fence: false });
          else if (all.isDescendantOf(shardId, roots)) {
            this.#plans.set(shardId, { position: { type: 'TRIM_HORIZON' }, fence: false });
          }
          break;
      }
    }
    // Shards without a plan are before the starting position: never read.
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      this.#lineage.add(shardId, parentsOf(shard), this.#plans.has(shardId) ? 'waiting' : 'excluded');
    }
    const fenced = [...this.#plans].filter(([, plan]) => plan.fence).map(([shardId]) => shardId);
    const fences = await Promise.all(
      fenced.map((shardId) =>
        SnapshotFence.create(
          this.#options.client,
          this.#options.streamName,
          shardId,
          this.#pacerOf(shardId),
          this.#abort.signal,
        ),
      ),
    );
    fenced.forEach((shardId, index) => this.#fences.set(shardId, fences[index] as SnapshotFence));
  }

  /** ListShards again: learns new shards (followed) and which unknown parents are gone. */
  async #discover(): Promise<void> {
    const shards = await this.#listShards();
    for (const shard of shards) this.#learnShard(shard.ShardId as string, parentsOf(shard));
    const listed = new Set(shards.map((shard) => shard.ShardId as string));
    for (const parent of this.#lineage.unknownParents()) {
      if (!listed.has(parent)) this.#lineage.add(parent, [], 'excluded');
    }
  }

  #learnShard(shardId: string, parentShardIds: readonly string[]): void {
    if (this.#lineage.has(shardId)) return;
    if (this.#options.mode === 'snapshot') {
      // Created after the snapshot began: every record in it is after the tip at the start.
      this.#lineage.add(shardId, parentShardIds, 'excluded');
      return;
    }
    this.#plans.set(shardId, { position: { type: 'TRIM_HORIZON' }, fence: false });
    this.#lineage.add(shardId, parentShardIds, 'waiting');
  }

  async #listShards(filter?: ListShardsCommandInput['ShardFilter']): Promise<Shard[]> {
    const { client, streamName } = this.#options;
    const signal = this.#abort.signal;
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const input: ListShardsCommandInput =
        nextToken === undefined
          ? { StreamName: streamName, ...(filter === undefined ? {} : { ShardFilter: filter }) }
          : { NextToken: nextToken };
      const reply = await retryThrottled(
        () => client.send(new ListShardsCommand(input), { abortSignal: signal }),
        signal,
      );
      shards.push(...(reply.Shards ?? []));
      nextToken = reply.NextToken ?? undefined;
    } while (nextToken !== undefined);
    return shards;
  }

  #pacerOf(shardId: string): CallPacer {
    let pacer = this.#pacers.get(shardId);
    if (pacer === undefined) {
      pacer = new CallPacer(getRecordsSpacingMs);
      this.#pacers.set(shardId, pacer);
    }
    return pacer;
  }

  #keepFencesAlive(): void {
    for (const fence of this.#fences.values()) {
      if (fence.state.kind === 'open' && Date.now() - fence.lastCheckAtMs >= fenceKeepAliveMs) {
        fence.check().catch((error: unknown) => this.#fail(error));
      }
    }
  }

  async #iteratorFor(
    shardId: string,
    position: StartingPosition,
    afterSequenceNumber?: string,
  ): Promise<string> {
    const { client, streamName } = this.#options;
    const signal = this.#abort.signal;
    const type: ShardIteratorType =
      afterSequenceNumber !== undefined ? 'AFTER_SEQUENCE_NUMBER' : position.type;
    const reply = await retryThrottled(
      () =>
        client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shardId,
            ShardIteratorType: type,
            ...(afterSequenceNumber !== undefined ? { StartingSequenceNumber: afterSequenceNumber } : {}),
            ...(position.type === 'AT_TIMESTAMP' && afterSequenceNumber === undefined
              ? { Timestamp: position.timestamp }
              : {}),
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    return reply.ShardIterator as string;
  }

  async #getRecords(shardId: string, iterator: string): Promise<GetRecordsCommandOutput> {
    const signal = this.#abort.signal;
    await this.#pacerOf(shardId).wait(signal);
    return retryThrottled(
      () =>
        this.#options.client.send(
          new GetRecordsCommand({
            ShardIterator: iterator,
            Limit: this.#options.recordsPerCallMax ?? 10_000,
          }),
          { abortSignal: signal },
        ),
      signal,
      (error) => this.#options.onThrottled?.(shardId, error),
    );
  }

  async #readShard(shardId: string): Promise<void> {
    const plan = this.#plans.get(shardId);
    assert(plan !== undefined, `no plan for ${shardId}`);
    const signal = this.#abort.signal;
    const fence = this.#fences.get(shardId);
    this.#options.onShardStart?.(shardId);
    let iterator = await this.#iteratorFor(shardId, plan.position);
    let lastSequenceNumber: string | undefined;
    for (;;) {
      let reply: GetRecordsCommandOutput;
      try {
        reply = await this.#getRecords(shardId, iterator);
      } catch (error) {
        if ((error as Error).name !== 'ExpiredIteratorException') throw error;
        iterator = await this.#iteratorFor(shardId, plan.position, lastSequenceNumber);
        continue;
      }
      let records = reply.Records ?? [];
      const caughtUp = reply.MillisBehindLatest === 0;
      // A fence read after this batch tells whether the batch holds records written after the start.
      const fenceState = fence === undefined ? undefined : await fence.check();
      let snapshotEnd = false;
      if (fenceState?.kind === 'boundary') {
        const within = records.filter(
          (record) => BigInt(record.SequenceNumber as string) < fenceState.sequenceNumber,
        );
        snapshotEnd = within.length < records.length;
        records = within;
      } else if (fenceState?.kind === 'open' && caughtUp) {
        snapshotEnd = true;
      }
      const last = records[records.length - 1];
      if (last !== undefined) lastSequenceNumber = last.SequenceNumber;
      if (records.length > 0)
        await this.#deliver({ shardId, records, millisBehindLatest: reply.MillisBehindLatest });
      if (snapshotEnd) {
        this.#lineage.finish(shardId);
        this.#options.onShardEnd?.(shardId, 'snapshot-end');
        return;
      }
      const next = reply.NextShardIterator;
      if (next === undefined || next === null) {
        this.#lineage.finish(shardId);
        this.#learnChildren(shardId, reply.ChildShards);
        this.#options.onShardEnd?.(shardId, 'closed');
        return;
      }
      iterator = next;
      if (records.length === 0 && caughtUp) await sleepUnlessAborted(this.#options.idlePollMs ?? 500, signal);
    }
  }

  #learnChildren(shardId: string, children: readonly ChildShard[] | undefined): void {
    for (const child of children ?? []) {
      this.#learnShard(child.ShardId as string, child.ParentShards ?? [shardId]);
    }
    // No ChildShards: the scheduler's next ListShards finds them.
    if (children === undefined || children.length === 0) this.#needsDiscovery = true;
  }

  /** Hands batches over one at a time, in the order shards produced them. */
  #deliver(batch: ShardBatch): Promise<void> {
    const delivered = this.#delivery.then(() => this.#options.onBatch(batch));
    this.#delivery = delivered.catch(() => undefined);
    return delivered;
  }
}

function parentsOf(shard: Shard): string[] {
  return [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined);
}
