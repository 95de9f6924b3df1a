/**
 * Partition keys to 128-bit hash keys, and the initial hash-key layout of a stream.
 *
 * hashKey = MD5(UTF-8 of the partition key) read as an unsigned big-endian 128-bit integer; an
 * ExplicitHashKey replaces it. The initial layout for N shards divides 2^128 (not 2^128 - 1, as
 * one peer does): shard i starts at floor(2^128 / N) * i and the last shard ends at 2^128 - 1.
 */
import { createHash } from 'node:crypto';
import { md5Words } from './md5.js';

export const hashKeySpaceSize = 1n << 128n;
export const hashKeyMax = hashKeySpaceSize - 1n;

const md5ViaCrypto = (text: string): Buffer => createHash('md5').update(text, 'utf8').digest();

export function partitionKeyToHashKey(partitionKey: string): bigint {
  const digest = md5ViaCrypto(partitionKey);
  return (digest.readBigUInt64BE(0) << 64n) | digest.readBigUInt64BE(8);
}

/**
 * The hash key as four 32-bit words, most significant first, written into `out`: the form the
 * write path routes with, since it needs no BigInt.
 */
export function partitionKeyToHashWords(partitionKey: string, out: Uint32Array): void {
  md5Words(partitionKey, out, md5ViaCrypto);
}

export function hashKeyToWords(hashKey: bigint, out: Uint32Array): void {
  for (let word = 3; word >= 0; word--) {
    out[word] = Number(hashKey & 0xffffffffn);
    hashKey >>= 32n;
  }
}

/** Compares two hash keys given as words: negative, zero or positive. */
export function compareHashWords(left: Uint32Array, right: Uint32Array): number {
  for (let word = 0; word < 4; word++) {
    const difference = (left[word] as number) - (right[word] as number);
    if (difference !== 0) return difference;
  }
  return 0;
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
