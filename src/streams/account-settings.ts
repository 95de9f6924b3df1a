/**
 * Account-level settings of Kinesis Data Streams (DescribeAccountSettings, UpdateAccountSettings):
 * today only the minimum throughput billing commitment, which unlocks warm throughput on
 * on-demand streams. One catalog entry per account and region (`accounts/<account>/<region>`).
 *
 * A commitment lasts at least 24 hours. Disabling it earlier leaves it ENABLED until that time
 * (ENABLED_UNTIL_EARLIEST_ALLOWED_END); enabling it again before then cancels the pending end.
 * The status is computed from the stored times, so no timer has to flip it.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { RequestScope } from '../core/request-scope.js';

const commitmentMinimumMs = 24 * 3_600_000;

interface StoredCommitment {
  readonly startedAtMs?: number;
  /** Set by a disable request: the commitment ends then (now, or the earliest allowed end). */
  readonly endsAtMs?: number;
}

interface StoredSettings {
  readonly commitment?: StoredCommitment;
}

export type CommitmentStatus = 'ENABLED' | 'DISABLED' | 'ENABLED_UNTIL_EARLIEST_ALLOWED_END';

export interface CommitmentView {
  readonly status: CommitmentStatus;
  readonly startedAtMs?: number;
  readonly endedAtMs?: number;
  readonly earliestAllowedEndAtMs?: number;
}

const keyOf = (scope: RequestScope): string => `accounts/${scope.accountId}/${scope.region}`;

export class AccountSettings {
  readonly #catalog: Catalog;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
  }

  async commitment(scope: RequestScope, nowMs: number): Promise<CommitmentView> {
    const stored = await this.#catalog.get<StoredSettings>(keyOf(scope));
    return viewOf(stored?.value.commitment, nowMs);
  }

  async commitmentEnabled(scope: RequestScope, nowMs: number): Promise<boolean> {
    return (await this.commitment(scope, nowMs)).status !== 'DISABLED';
  }

  /** Enables or disables the commitment; updates of one server run one at a time. */
  async updateCommitment(scope: RequestScope, enable: boolean, nowMs: number): Promise<CommitmentView> {
    const run = this.#queue.then(async () => {
      const key = keyOf(scope);
      const stored = await this.#catalog.get<StoredSettings>(key);
      const next = changed(stored?.value.commitment, enable, nowMs);
      await this.#catalog.put(key, { ...stored?.value, commitment: next }, stored?.version ?? 0);
      return viewOf(next, nowMs);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function changed(current: StoredCommitment | undefined, enable: boolean, nowMs: number): StoredCommitment {
  const view = viewOf(current, nowMs);
  if (enable) {
    // A pending end is cancelled; a commitment that has ended starts anew.
    if (view.status === 'DISABLED') return { startedAtMs: nowMs };
    return { startedAtMs: view.startedAtMs };
  }
  if (view.status === 'DISABLED') return current ?? {};
  const earliestMs = (view.startedAtMs ?? nowMs) + commitmentMinimumMs;
  return { startedAtMs: view.startedAtMs, endsAtMs: Math.max(nowMs, earliestMs) };
}

function viewOf(commitment: StoredCommitment | undefined, nowMs: number): CommitmentView {
  if (commitment?.startedAtMs === undefined) return { status: 'DISABLED' };
  const startedAtMs = commitment.startedAtMs;
  const earliestAllowedEndAtMs = startedAtMs + commitmentMinimumMs;
  const endsAtMs = commitment.endsAtMs;
  if (endsAtMs === undefined) return { status: 'ENABLED', startedAtMs, earliestAllowedEndAtMs };
  if (endsAtMs > nowMs) {
    return { status: 'ENABLED_UNTIL_EARLIEST_ALLOWED_END', startedAtMs, earliestAllowedEndAtMs };
  }
  return { status: 'DISABLED', startedAtMs, endedAtMs: endsAtMs, earliestAllowedEndAtMs };
}

/** The wire `MinimumThroughputBillingCommitment` structure. */
export function commitmentToWire(view: CommitmentView): Record<string, unknown> {
  return {
    Status: view.status,
    StartedAt: view.startedAtMs === undefined ? undefined : new Date(view.startedAtMs),
    EndedAt: view.endedAtMs === undefined ? undefined : new Date(view.endedAtMs),
    EarliestAllowedEndAt:
      view.earliestAllowedEndAtMs === undefined ? undefined : new Date(view.earliestAllowedEndAtMs),
  };
}
