/**
 * Where a delivery stream's source is read from, as stored in its checkpoint, and what a source
 * gives the delivery worker. The checkpoint is written only after the object holding every
 * record before this position was written, so a restart re-reads at most one object's records.
 */
import type { BufferedRecord } from './delivery-buffer.js';

export type SourcePosition =
  /** Direct PUT: the next offset of the delivery stream's own log. */
  | { readonly kind: 'directPut'; readonly offset: number }
  /** A Kinesis stream: the next offset per shard index, for the stream of `streamId`. */
  | {
      readonly kind: 'kinesis';
      readonly streamId: string | undefined;
      readonly shards: Readonly<Record<string, number>>;
    };

export interface DeliverySource {
  /**
   * The next records after everything read so far, at most about `maxBytes` (at least one record
   * when any is there); [] when there is nothing new.
   */
  readMore(maxBytes: number): Promise<BufferedRecord[]>;
  /** The position just after every record `readMore` returned so far. */
  position(): SourcePosition;
  /** Called once the records up to `position` are delivered and checkpointed. */
  delivered(position: SourcePosition): Promise<void>;
}
