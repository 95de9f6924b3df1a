/**
 * AWS's concurrency and per-day quotas of the control plane, enforced with `--limits aws`:
 * at most 5 streams of an account CREATING or DELETING at once, 10 UpdateShardCount calls and
 * 2 capacity-mode switches per stream in a rolling 24 hours. The call times are kept in the
 * stream's record (so they survive restarts), whatever the mode.
 */
import { limitExceeded } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import type { StreamRecord } from '../stream-model.js';
import type { StreamsService } from '../streams-service.js';

const dayMs = 24 * 3_600_000;

/** CreateStream and DeleteStream: refused while 5 streams of the account are in transition. */
export function checkStreamsTransitioning(service: StreamsService, accountId: string, region: string): void {
  if (!service.limits.enforced) return;
  const transitioning = service
    .streamsIn(accountId, region)
    .filter((loaded) => loaded.record.status === 'CREATING' || loaded.record.status === 'DELETING').length;
  if (transitioning >= limits.streamsTransitioningMax) {
    // AWS's text, as recorded (the double space is theirs).
    throw limitExceeded(
      `This request would have exceed the limit on the number  of streams that can simultaneously be in ` +
        `CREATING or DELETING for the account ${accountId}. Limit: ${limits.streamsTransitioningMax}.`,
    );
  }
}

/** UpdateShardCount: the call times of the last 24 hours, with this one; refused past 10. */
export function recordShardCountUpdate(
  service: StreamsService,
  record: StreamRecord,
  nowMs: number,
): number[] {
  const recent = (record.shardCountUpdatesMs ?? []).filter((atMs) => atMs > nowMs - dayMs);
  if (service.limits.enforced && recent.length >= limits.shardCountUpdatesPerDayMax) {
    throw limitExceeded(
      `UpdateShardCount has been called ${recent.length} times in the last 24 hours for stream ${record.name} ` +
        `under account ${record.accountId}. The limit is ${limits.shardCountUpdatesPerDayMax} in a rolling 24-hour period.`,
    );
  }
  return [...recent, nowMs];
}

/** UpdateStreamMode: the switch times of the last 24 hours, with this one; refused past 2. */
export function recordModeSwitch(service: StreamsService, record: StreamRecord, nowMs: number): number[] {
  const recent = (record.modeSwitchesMs ?? []).filter((atMs) => atMs > nowMs - dayMs);
  if (service.limits.enforced && recent.length >= limits.streamModeSwitchesPerDayMax) {
    throw limitExceeded(
      `Stream ${record.name} under account ${record.accountId} has switched its capacity mode ${recent.length} times ` +
        `in the last 24 hours. The limit is ${limits.streamModeSwitchesPerDayMax} in a rolling 24-hour period.`,
    );
  }
  return [...recent, nowMs];
}
