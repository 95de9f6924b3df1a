/**
 * Where a snapshot read of one open shard stops: the first record written after the snapshot
 * began. The fence is a LATEST iterator taken at the start; reading it with Limit 1 either
 * returns that first later record (its sequence number is the boundary: read everything below
 * it) or nothing yet (everything in the shard so far is inside the snapshot). Each empty read
 * renews the iterator, so `keepAlive` every minute keeps it from expiring (300 s) while the shard
 * waits for its parents. No clock is compared: the server's own order decides.
 */
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { retryThrottled, type CallPacer } from './read-pacing.js';

export type FenceState =
  /** No record written since the start, as of the last check. */
  | { readonly kind: 'open' }
  /** Records at or above `sequenceNumber` were written after the start. */
  | { readonly kind: 'boundary'; readonly sequenceNumber: bigint }
  /** The shard closed with no record written after the start: read it to its end. */
  | { readonly kind: 'closed' };

export class SnapshotFence {
  readonly #client: KinesisClient;
  readonly #pacer: CallPacer;
  readonly #signal: AbortSignal | undefined;
  #iterator: string;
  #state: FenceState = { kind: 'open' };
  #lastCheckAtMs = Date.now();

  private constructor(
    client: KinesisClient,
    pacer: CallPacer,
    signal: AbortSignal | undefined,
    iterator: string,
  ) {
    this.#client = client;
    this.#pacer = pacer;
    this.#signal = signal;
    this.#iterator = iterator;
  }

  static async create(
    client: KinesisClient,
    streamName: string,
    shardId: string,
    pacer: CallPacer,
    signal: AbortSignal | undefined,
  ): Promise<SnapshotFence> {
    const reply = await retryThrottled(
      () =>
        client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shardId,
            ShardIteratorType: 'LATEST',
          }),
          { abortSignal: signal },
        ),
      signal,
    );
    return new SnapshotFence(client, pacer, signal, reply.ShardIterator as string);
  }

  get state(): FenceState {
    return this.#state;
  }

  get lastCheckAtMs(): number {
    return this.#lastCheckAtMs;
  }

  /** Reads the fence once, unless its answer is already final. */
  async check(): Promise<FenceState> {
    if (this.#state.kind !== 'open') return this.#state;
    await this.#pacer.wait(this.#signal);
    const reply = await retryThrottled(
      () =>
        this.#client.send(new GetRecordsCommand({ ShardIterator: this.#iterator, Limit: 1 }), {
          abortSignal: this.#signal,
        }),
      this.#signal,
    );
    this.#lastCheckAtMs = Date.now();
    const first = reply.Records?.[0];
    if (first !== undefined) {
      this.#state = { kind: 'boundary', sequenceNumber: BigInt(first.SequenceNumber as string) };
    } else if (reply.NextShardIterator === undefined || reply.NextShardIterator === null) {
      this.#state = { kind: 'closed' };
    } else {
      this.#iterator = reply.NextShardIterator;
    }
    return this.#state;
  }
}
