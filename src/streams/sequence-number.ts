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

/** The decimal digits of one counter step (2^80), least significant first. */
const counterStepDigits = Uint8Array.from([...counterStep.toString(10)].reverse(), Number);

/**
 * Turns the sequence number written as ASCII decimal digits in `digits[start, start + 56)` into
 * the next counter's (same shard and arrival second), in place: a decimal addition of 2^80, for
 * writers that put numbers straight into a response body without a BigInt and a string each.
 */
export function stepSequenceNumberDigits(digits: Uint8Array, start: number): void {
  let at = start + sequenceNumberDigits - 1;
  let carry = 0;
  for (let index = 0; index < counterStepDigits.length; index++, at--) {
    let digit = digits[at]! - 48 + counterStepDigits[index]! + carry;
    carry = digit >= 10 ? 1 : 0;
    digit -= carry * 10;
    digits[at] = digit + 48;
  }
  while (carry !== 0) {
    // The counter stays below 2^63, so the number never grows a 57th digit.
    assert(at >= start, 'sequence number overflow');
    let digit = digits[at]! - 47;
    carry = digit >= 10 ? 1 : 0;
    digit -= carry * 10;
    digits[at--] = digit + 48;
  }
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
