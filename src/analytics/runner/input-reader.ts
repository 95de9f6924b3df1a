/**
 * Reads one input stream for a running application the way a KCL worker does: every shard, from
 * its checkpoint (or from the input's start), parents read to their end before their children
 * begin, new shards picked up after resharding, closed shards finished with SHARD_END. `poll`
 * reads one batch from every readable shard; positions advance in memory, and `checkpoint()`
 * gives the state to persist once the rows read so far were processed and delivered.
 */
import { ServiceError } from '../../core/errors.js';
import { shardEnd, type InputCheckpoint } from './checkpoint-store.js';
import type { GatewayRecord, GatewayShard, ShardStart, StreamGateway } from './stream-gateway.js';

export interface ShardRecords {
  readonly shardId: string;
  readonly records: readonly GatewayRecord[];
}

interface ShardState {
  iterator: string | undefined;
  /** Last sequence number read, SHARD_END, or undefined before the first record. */
  position: string | undefined;
}

export class InputReader {
  readonly #gateway: StreamGateway;
  readonly #streamArn: string;
  readonly #startAtMs: number;
  readonly #recordsPerReadMax: number;
  readonly #states = new Map<string, ShardState>();
  /** The newest shard listing, with parents first. */
  #shards: GatewayShard[] = [];
  millisBehindLatest = 0;

  constructor(gateway: StreamGateway, checkpoint: InputCheckpoint, recordsPerReadMax: number) {
    this.#gateway = gateway;
    this.#streamArn = checkpoint.streamArn;
    this.#startAtMs = checkpoint.startAtMs;
    this.#recordsPerReadMax = recordsPerReadMax;
    for (const [shardId, position] of Object.entries(checkpoint.shards)) {
      this.#states.set(shardId, { iterator: undefined, position });
    }
  }

  /** Reads the next batch of every readable shard; a shard that fails is retried on the next poll. */
  async poll(): Promise<{ batches: ShardRecords[]; errors: unknown[] }> {
    this.#shards = await this.#gateway.listShards(this.#streamArn);
    const listed = new Set(this.#shards.map((shard) => shard.shardId));
    const batches: ShardRecords[] = [];
    const errors: unknown[] = [];
    let behind = 0;
    for (const shard of this.#shards) {
      const state = this.#stateOf(shard.shardId);
      if (state.position === shardEnd || !this.#parentsDone(shard, listed)) continue;
      try {
        state.iterator ??= await this.#gateway.shardIterator(
          this.#streamArn,
          shard.shardId,
          this.#startOf(state),
        );
        const batch = await this.#gateway.getRecords(
          this.#streamArn,
          state.iterator,
          this.#recordsPerReadMax,
        );
        const last = batch.records[batch.records.length - 1];
        if (last !== undefined) state.position = last.sequenceNumber;
        state.iterator = batch.nextIterator;
        if (batch.nextIterator === undefined) state.position = shardEnd;
        behind = Math.max(behind, batch.millisBehindLatest);
        if (batch.records.length > 0) batches.push({ shardId: shard.shardId, records: batch.records });
      } catch (error) {
        // An expired or stale iterator is made again from the position on the next poll.
        state.iterator = undefined;
        if (!(error instanceof ServiceError)) throw error;
        errors.push(error);
      }
    }
    this.millisBehindLatest = behind;
    // Shards gone from the listing (past retention) need no checkpoint any more.
    for (const shardId of [...this.#states.keys()]) if (!listed.has(shardId)) this.#states.delete(shardId);
    return { batches, errors };
  }

  checkpoint(): InputCheckpoint {
    const shards: Record<string, string> = {};
    for (const [shardId, state] of this.#states)
      if (state.position !== undefined) shards[shardId] = state.position;
    return { streamArn: this.#streamArn, startAtMs: this.#startAtMs, shards };
  }

  #stateOf(shardId: string): ShardState {
    let state = this.#states.get(shardId);
    if (state === undefined) {
      state = { iterator: undefined, position: undefined };
      this.#states.set(shardId, state);
    }
    return state;
  }

  /** A shard is read once each listed parent was read to its end. */
  #parentsDone(shard: GatewayShard, listed: ReadonlySet<string>): boolean {
    return [shard.parentShardId, shard.adjacentParentShardId].every(
      (parent) =>
        parent === undefined || !listed.has(parent) || this.#states.get(parent)?.position === shardEnd,
    );
  }

  #startOf(state: ShardState): ShardStart {
    if (state.position !== undefined && state.position !== shardEnd) {
      return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: state.position };
    }
    return this.#startAtMs === 0
      ? { type: 'TRIM_HORIZON' }
      : { type: 'AT_TIMESTAMP', timestampMs: this.#startAtMs };
  }
}
