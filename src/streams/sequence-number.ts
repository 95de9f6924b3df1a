/**
 * Sequence numbers: 56-digit decimal strings in AWS's "version 2" layout, 47 hex digits:
 *
 *   2 | shard created, epoch s (9) | shard index low nibble (1) | counter (16) | 00 |
 *   arrival, epoch s (9) | shard index (8) | 2
 *
 * The counter is the record's position in its shard plus one (0 is the shard's
 * StartingSequenceNumber, 0x7fffffffffffffff its EndingSequenceNumber once closed). It sits above
 * the time bits, so numbers increase with position whatever the clock does, and a number maps
 * straight back to a log offset. The KCL reads the shard index from bits 4–35 and checks it.
 */

import { assert } from '../core/assert.js';

export const endingCounter = 0x7fffffffffffffffn;

export interface SequenceNumberParts {
  readonly shardCreatedSeconds: number;
  readonly shardIndex: number;
  /** Position + 1; 0 = the shard's start, `endingCounter` = its end. */
  readonly counter: bigint;
  readonly arrivalSeconds: number;
}

const hex = (value: number | bigint, digits: number): string => value.toString(16).padStart(digits, '0');

export function formatSequenceNumber(parts: SequenceNumberParts): string {
  return BigInt('0x' + formatSequenceNumberHex(parts)).toString(10);
}

/**
 * Sequence numbers of `count` records at consecutive counters from `firstCounter`, all with one
 * arrival time: they differ by multiples of 2^80 (one counter step), so each costs one BigInt
 * addition and one decimal conversion. (Stepping decimal digits or base-10^14 limbs in
 * JavaScript was measured slower: V8's number-to-string is no cheaper than BigInt's.)
 */
export function formatSequenceNumberRun(
  shardCreatedSeconds: number,
  shardIndex: number,
  firstCounter: bigint,
  arrivalSeconds: number,
  count: number,
): string[] {
  let value = BigInt(
    '0x' +
      formatSequenceNumberHex({ shardCreatedSeconds, shardIndex, counter: firstCounter, arrivalSeconds }),
  );
  const out = new Array<string>(count);
  for (let index = 0; index < count; index++) {
    out[index] = value.toString(10);
    value += counterStep;
  }
  return out;
}

/** The counter's lowest bit sits above: 00 (8 bits) + arrival (36) + shard index (32) + version (4). */
const counterShift = 80n;
const counterStep = 1n << counterShift;

/**
 * Every sequence number has 56 decimal digits: 47 hex digits led by the version 2 lie between
 * 2·16^46 ≈ 4.9·10^55 and 3·16^46 ≈ 7.4·10^55.
 */
export const sequenceNumberDigits = 56;

const limbBase = 1e9;
const limbDigits = 9;
/** A 56-digit number as base-10^9 limbs, least significant first: six of 9 digits, one of 2. */
const limbCount = Math.ceil(sequenceNumberDigits / limbDigits);
/** One counter step (2^80 = 1,208,925,819,614,629,174,706,176) in limbs. */
const counterStepLimbs = [174_706_176, 819_614_629, 1_208_925] as const;
/** "00".."99" as two ASCII digits in a u16, the first one in the low byte. */
const digitPairs = Uint16Array.from(
  { length: 100 },
  (_, value) => (48 + Math.floor(value / 10)) | ((48 + (value % 10)) << 8),
);

/**
 * Steps a sequence number written as ASCII decimal digits by one counter (same shard, same
 * arrival second), in place: for writers that put numbers straight into a response body without
 * a BigInt and a string each. It keeps the number as base-10^9 limbs and rewrites only the limbs
 * a step changes (the low three, and any a carry reaches). A step costs a few integer divisions
 * where BigInt's decimal conversion costs a long division of the whole number.
 */
export class SequenceNumberDigits {
  readonly #limbs = new Int32Array(limbCount);

  /** Takes the number whose 56 digits are at `digits[at, at + 56)` as the current one. */
  load(digits: Uint8Array, at: number): void {
    for (let limb = 0; limb < limbCount; limb++) {
      const end = at + sequenceNumberDigits - limb * limbDigits;
      let value = 0;
      for (let index = Math.max(at, end - limbDigits); index < end; index++)
        value = value * 10 + digits[index]! - 48;
      this.#limbs[limb] = value;
    }
  }

  /** Adds one counter step to the current number and rewrites its changed digits at `at`. */
  step(digits: Uint8Array, at: number): void {
    const limbs = this.#limbs;
    let carry = 0;
    let limb = 0;
    for (; limb < counterStepLimbs.length || carry !== 0; limb++) {
      // The counter stays below 2^63, so the number never grows a 57th digit.
      assert(limb < limbCount, 'sequence number overflow');
      let value = limbs[limb]! + (counterStepLimbs[limb] ?? 0) + carry;
      carry = value >= limbBase ? 1 : 0;
      value -= carry * limbBase;
      limbs[limb] = value;
      writeLimb(digits, at + sequenceNumberDigits - limb * limbDigits, value, limb === limbCount - 1);
    }
  }
}

/** Writes `value` as the digits ending before `end`: 9 of them, or 2 for the top limb. */
function writeLimb(digits: Uint8Array, end: number, value: number, top: boolean): void {
  let rest = value;
  for (let at = end - 2; at >= end - (top ? 2 : 8); at -= 2) {
    const quotient = (rest / 100) | 0;
    const pair = digitPairs[rest - quotient * 100]!;
    digits[at] = pair & 0xff;
    digits[at + 1] = pair >>> 8;
    rest = quotient;
  }
  if (!top) digits[end - 9] = 48 + rest;
}

function formatSequenceNumberHex(parts: SequenceNumberParts): string {
  return (
    '2' +
    hex(parts.shardCreatedSeconds, 9) +
    hex(parts.shardIndex & 0xf, 1) +
    hex(parts.counter, 16) +
    '00' +
    hex(parts.arrivalSeconds, 9) +
    hex(parts.shardIndex, 8) +
    '2'
  );
}

const decimalPattern = /^(0|[1-9]\d{0,128})$/;

/** Parses a sequence number of our layout; undefined when it is not one. */
export function parseSequenceNumber(text: string): SequenceNumberParts | undefined {
  if (!decimalPattern.test(text)) return undefined;
  const hexText = BigInt(text).toString(16);
  if (hexText.length !== 47 || hexText[0] !== '2' || hexText[46] !== '2') return undefined;
  const counter = BigInt('0x' + hexText.slice(11, 27));
  const shardIndex = parseInt(hexText.slice(38, 46), 16);
  // Shard indexes are Java ints: one with the top bit set was never issued.
  if (counter > endingCounter || shardIndex > 0x7fffffff) return undefined;
  return {
    shardCreatedSeconds: parseInt(hexText.slice(1, 10), 16),
    shardIndex,
    counter,
    arrivalSeconds: parseInt(hexText.slice(29, 38), 16),
  };
}
