/**
 * Partition keys to 128-bit hash keys, and the initial hash-key layout of a stream.
 *
 * hashKey = MD5(UTF-8 of the partition key) read as an unsigned big-endian 128-bit integer; an
 * ExplicitHashKey replaces it. The initial layout for N shards divides 2^128 (not 2^128 - 1, as
 * one peer does): shard i starts at floor(2^128 / N) * i and the last shard ends at 2^128 - 1.
 */
import { createHash } from 'node:crypto';

export const hashKeySpaceSize = 1n << 128n;
export const hashKeyMax = hashKeySpaceSize - 1n;

export function partitionKeyToHashKey(partitionKey: string): bigint {
  const digest = createHash('md5').update(partitionKey, 'utf8').digest();
  return (digest.readBigUInt64BE(0) << 64n) | digest.readBigUInt64BE(8);
}

export interface HashKeyRange {
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

export function uniformHashKeyRanges(shardCount: number): HashKeyRange[] {
  const step = hashKeySpaceSize / BigInt(shardCount);
  const ranges: HashKeyRange[] = [];
  for (let index = 0; index < shardCount; index++) {
    const startingHashKey = step * BigInt(index);
    const endingHashKey = index === shardCount - 1 ? hashKeyMax : step * BigInt(index + 1) - 1n;
    ranges.push({ startingHashKey, endingHashKey });
  }
  return ranges;
}
