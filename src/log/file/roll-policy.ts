/**
 * When the active segment of a log is sealed and a new one started. A value, not code in the
 * store, so that tests and configuration can pick small segments.
 *
 * Age is measured in record time (the timestamps appends carry, which come from the injected
 * clock), so rolling needs no timer and replays the same way after a restart.
 */

const MiB = 1024 * 1024;

export interface RollPolicy {
  /** A segment is sealed before a write would take it past this size (one write may exceed it). */
  readonly segmentBytesMax: number;
  /** A segment whose first record is this old is sealed at the next write. */
  readonly segmentAgeMsMax: number;
}

export const defaultRollPolicy: RollPolicy = {
  segmentBytesMax: 64 * MiB,
  // Retention drops whole segments, so this bounds how long data outlives its retention.
  segmentAgeMsMax: 60 * 60 * 1000,
};

export interface RollCandidate {
  readonly sizeBytes: number;
  readonly firstTimestampMs: number | undefined;
}

/** True when `incomingBytes` stamped `timestampMs` should go to a new segment. */
export function shouldRoll(
  policy: RollPolicy,
  segment: RollCandidate,
  incomingBytes: number,
  timestampMs: number,
): boolean {
  if (segment.sizeBytes === 0) return false;
  if (segment.sizeBytes + incomingBytes > policy.segmentBytesMax) return true;
  return (
    segment.firstTimestampMs !== undefined && timestampMs - segment.firstTimestampMs >= policy.segmentAgeMsMax
  );
}
