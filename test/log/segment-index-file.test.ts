/**
 * The index file format: blocks round-trip, accumulate, and anything torn, foreign or
 * inconsistent ends the good part of the file (so recovery scans instead of trusting it).
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeIndexFile,
  encodeIndexBlock,
  indexFileName,
  parseIndexFileName,
  type SegmentSummary,
} from '../../src/log/file/segment-index-file.js';
import type { SparseIndex } from '../../src/log/file/segment.js';

function entries(list: readonly (readonly [number, number, number])[]): SparseIndex {
  return {
    count: list.length,
    offsets: Uint32Array.from(list.map((entry) => entry[0])),
    positions: Uint32Array.from(list.map((entry) => entry[1])),
    timestamps: Float64Array.from(list.map((entry) => entry[2])),
  };
}

function summary(sizeBytes: number, recordCount: number, lastMs: number): SegmentSummary {
  return { baseOffset: 4096, sizeBytes, recordCount, firstTimestampMs: 1000, lastTimestampMs: lastMs };
}

const first = encodeIndexBlock(
  summary(5000, 40, 1010),
  entries([
    [0, 0, 1000],
    [33, 4100, 1008],
  ]),
);
const second = encodeIndexBlock(summary(9000, 70, 1020), entries([[66, 8300, 1019]]));

describe('segment index file', () => {
  it('names files by base offset', () => {
    assert.equal(indexFileName(4096), '00000000000000004096.index');
    assert.equal(parseIndexFileName('00000000000000004096.index'), 4096);
    assert.equal(parseIndexFileName('00000000000000004096.log'), undefined);
  });

  it('takes the last block summary and every entry up to it', () => {
    const decoded = decodeIndexFile(Buffer.concat([first, second]), 4096)!;
    assert.deepEqual(decoded.summary, summary(9000, 70, 1020));
    assert.equal(decoded.goodBytes, first.length + second.length);
    assert.deepEqual([...decoded.index.offsets.subarray(0, decoded.index.count)], [0, 33, 66]);
    assert.deepEqual([...decoded.index.positions.subarray(0, decoded.index.count)], [0, 4100, 8300]);
    assert.deepEqual([...decoded.index.timestamps.subarray(0, decoded.index.count)], [1000, 1008, 1019]);
  });

  it('round-trips an empty segment', () => {
    const empty = encodeIndexBlock(
      {
        baseOffset: 7,
        sizeBytes: 0,
        recordCount: 0,
        firstTimestampMs: undefined,
        lastTimestampMs: undefined,
      },
      entries([]),
    );
    const decoded = decodeIndexFile(empty, 7)!;
    assert.equal(decoded.summary.recordCount, 0);
    assert.equal(decoded.summary.lastTimestampMs, undefined);
    assert.equal(decoded.index.count, 0);
  });

  it('stops at a torn, flipped or foreign block, keeping the good ones before it', () => {
    const both = Buffer.concat([first, second]);
    for (const cut of [1, 20, second.length - 1]) {
      const decoded = decodeIndexFile(both.subarray(0, both.length - cut), 4096)!;
      assert.equal(decoded.goodBytes, first.length);
      assert.equal(decoded.summary.sizeBytes, 5000);
    }
    for (let at = first.length; at < both.length; at += 7) {
      const flipped = Buffer.from(both);
      flipped[at] = flipped[at]! ^ 0x04;
      assert.equal(decodeIndexFile(flipped, 4096)!.goodBytes, first.length, `flip at ${at}`);
    }
    assert.equal(decodeIndexFile(both, 8192), undefined);
    assert.equal(decodeIndexFile(Buffer.from('not an index at all, not even close'), 4096), undefined);
  });

  it('rejects a block that covers less than the one before, or entries out of order', () => {
    const shrinking = encodeIndexBlock(summary(4000, 30, 1020), entries([]));
    assert.equal(decodeIndexFile(Buffer.concat([first, shrinking]), 4096)!.goodBytes, first.length);
    const backwards = encodeIndexBlock(summary(9000, 70, 1020), entries([[20, 8300, 1019]]));
    assert.equal(decodeIndexFile(Buffer.concat([first, backwards]), 4096)!.goodBytes, first.length);
    const beyond = encodeIndexBlock(summary(9000, 70, 1020), entries([[66, 9100, 1019]]));
    assert.equal(decodeIndexFile(Buffer.concat([first, beyond]), 4096)!.goodBytes, first.length);
    const notAtStart = encodeIndexBlock(summary(5000, 40, 1010), entries([[3, 200, 1000]]));
    assert.equal(decodeIndexFile(notAtStart, 4096), undefined);
  });
});
