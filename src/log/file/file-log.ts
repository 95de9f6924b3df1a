/**
 * The in-memory state of one file-backed log: its segments (sorted by base offset, the last
 * one active), and its committed bounds. Only the store's exclusive section changes it, and a
 * change is made only after the disk holds it, so readers never see an uncommitted record.
 */

import type { Segment } from './segment.js';

export class FileLog {
  readonly id: string;
  readonly directory: string;
  readonly segments: Segment[];
  startOffset: number;
  endOffset: number;
  lastTimestampMs: number | undefined;
  /** Set once deleteLog has taken it out of the store: appends still queued for it fail. */
  deleted = false;

  constructor(
    id: string,
    directory: string,
    segments: Segment[],
    startOffset: number,
    lastTimestampMs: number | undefined,
  ) {
    this.id = id;
    this.directory = directory;
    this.segments = segments;
    this.startOffset = startOffset;
    this.endOffset = Math.max(startOffset, segments.at(-1)?.endOffset ?? startOffset);
    this.lastTimestampMs = lastTimestampMs;
  }

  get activeSegment(): Segment | undefined {
    return this.segments.at(-1);
  }

  /** The segment holding `offset` (which must be within the log's bounds). */
  segmentFor(offset: number): Segment | undefined {
    let low = 0;
    let high = this.segments.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.segments[middle]!.baseOffset <= offset) low = middle + 1;
      else high = middle;
    }
    return this.segments[low - 1];
  }

  /** The first segment whose last timestamp is at or after `timestampMs`. */
  firstSegmentReaching(timestampMs: number): Segment | undefined {
    let low = 0;
    let high = this.segments.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const lastMs = this.segments[middle]!.lastTimestampMs;
      // An empty segment (only ever the active one) counts as reaching every timestamp.
      if (lastMs !== undefined && lastMs < timestampMs) low = middle + 1;
      else high = middle;
    }
    return this.segments[low];
  }
}
