/**
 * Kinesis Data Analytics applications: their persistence in the catalog, the version check of
 * every configuration change, and the resumable status transitions (STARTING, STOPPING,
 * UPDATING, DELETING) that hand applications to the runtime.
 *
 * Invariants:
 * - the catalog is the truth; the in-memory map mirrors it and changes only after a
 *   compare-and-set write succeeded;
 * - changes to one application run one at a time (a per-application queue);
 * - an application in a transitional status carries its transition and due time, so that a
 *   restart finishes it; a RUNNING application is resumed from its checkpoints at open.
 */
import { CatalogConflictError, type Catalog } from '../../catalog/catalog.js';
import type { Clock } from '../../core/clock.js';
import { resourceInUse, type ServiceError } from '../../core/errors.js';
import type { RequestScope } from '../../core/request-scope.js';
import { applicationNotFound, concurrentModification, unsupportedOperation } from './analytics-errors.js';
import {
  applicationArn,
  applicationKey,
  applicationPrefix,
  type ApplicationRecord,
  type TransitionKind,
} from './application-model.js';
import type { ApplicationRuntime } from './application-runtime.js';
import { validateApplicationCode } from './validate-application-code.js';
import { checkConfiguration } from './configuration-rules.js';

export type Logger = (message: string, fields?: Record<string, unknown>) => void;

export interface LoadedApplication {
  readonly key: string;
  readonly record: ApplicationRecord;
  readonly version: number;
  readonly arn: string;
}

export interface AnalyticsOptions {
  /** How long STARTING, STOPPING, UPDATING and DELETING last. */
  readonly transitionDelayMs: number;
  /** Where DiscoverInputSchema reads S3 objects: `<dataDir>/buckets/<bucket>/<key>`. */
  readonly bucketsDirectory: string;
  /**
   * Reads an S3 object for DiscoverInputSchema through the server's bucket router (the embedded
   * directory or the S3 endpoint configured for the bucket); without it, `bucketsDirectory`.
   */
  readonly readObject?: (bucketArn: string, fileKey: string) => Promise<Buffer>;
}

type Change<T> = { next?: ApplicationRecord | null; result: T };

export class AnalyticsService {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly options: AnalyticsOptions;
  readonly runtime: ApplicationRuntime | undefined;
  readonly #log: Logger;
  readonly #applications = new Map<string, LoadedApplication>();
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly #timers = new Map<string, () => void>();
  #closed = false;

  constructor(deps: {
    catalog: Catalog;
    clock: Clock;
    logger: Logger;
    options: AnalyticsOptions;
    runtime?: ApplicationRuntime;
  }) {
    this.catalog = deps.catalog;
    this.clock = deps.clock;
    this.#log = deps.logger;
    this.options = deps.options;
    this.runtime = deps.runtime;
  }

  /** Loads every application, resumes pending transitions and running applications. */
  async open(): Promise<void> {
    const entries = await this.catalog.list<ApplicationRecord>('analytics/applications/');
    for (const entry of entries) {
      this.#remember(entry.key, entry.value, entry.version);
      if (entry.value.transition !== undefined) this.#scheduleTransition(entry.key, entry.value);
      else if (entry.value.status === 'RUNNING') await this.#resume(entry.key, entry.value);
    }
    this.#log('analytics applications loaded', { applications: entries.length });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    await Promise.allSettled([...this.#queues.values()]);
    await this.runtime?.close();
  }

  async #resume(key: string, record: ApplicationRecord): Promise<void> {
    if (this.runtime === undefined) {
      this.#log('application is RUNNING but this server runs no SQL engine: not resumed', { key });
      return;
    }
    try {
      await this.runtime.start(key, record, { resume: true });
    } catch (error) {
      this.#log('application could not be resumed', { key, error: String(error) });
    }
  }

  #remember(key: string, record: ApplicationRecord, version: number): LoadedApplication {
    const loaded = {
      key,
      record,
      version,
      arn: applicationArn(record.region, record.accountId, record.name),
    };
    this.#applications.set(key, loaded);
    return loaded;
  }

  find(scope: RequestScope, name: string): LoadedApplication {
    const loaded = this.#applications.get(applicationKey(scope.accountId, scope.region, name));
    if (loaded === undefined) throw applicationNotFound(name, scope.accountId);
    return loaded;
  }

  /** Applications of the scope, by name. */
  list(scope: RequestScope): LoadedApplication[] {
    const prefix = applicationPrefix(scope.accountId, scope.region);
    return [...this.#applications.values()]
      .filter((loaded) => loaded.key.startsWith(prefix))
      .sort((a, b) => (a.record.name < b.record.name ? -1 : a.record.name > b.record.name ? 1 : 0));
  }

  count(scope: RequestScope): number {
    return this.list(scope).length;
  }

  /**
   * Runs `change` on the application's current state, one change at a time per application, and
   * writes its `next` (null deletes) with compare-and-set.
   */
  mutate<T>(
    key: string,
    change: (current: LoadedApplication | undefined) => Promise<Change<T>> | Change<T>,
  ): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      const current = this.#applications.get(key);
      const { next, result } = await change(current);
      if (next === undefined) return result;
      if (next === null) {
        await this.catalog.delete(key, current?.version ?? 0);
        this.#applications.delete(key);
        return result;
      }
      const version = await this.catalog.put(key, next, current?.version ?? 0);
      this.#remember(key, next, version);
      if (next.transition !== undefined) this.#scheduleTransition(key, next);
      return result;
    });
    const settled = run.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return run.catch((error: unknown) => {
      if (error instanceof CatalogConflictError) {
        throw concurrentModification('The application was changed concurrently; describe it and retry.');
      }
      throw error;
    });
  }

  /**
   * A configuration change: checks the application's version and status, applies `apply`, checks
   * the result and bumps the version. A RUNNING application goes UPDATING, then back to RUNNING
   * with the new configuration.
   */
  changeConfiguration(
    scope: RequestScope,
    name: string,
    currentVersionId: number,
    apply: (record: ApplicationRecord) => ApplicationRecord,
  ): Promise<void> {
    const key = applicationKey(scope.accountId, scope.region, name);
    return this.mutate(key, (current) => {
      if (current === undefined) throw applicationNotFound(name, scope.accountId);
      const record = current.record;
      if (record.versionId !== currentVersionId) {
        throw concurrentModification(
          `Current application version ${record.versionId} does not match the CurrentApplicationVersionId ${currentVersionId} of the request.`,
        );
      }
      checkChangeable(record);
      const changed = apply(record);
      checkConfiguration(changed);
      if (changed.code !== record.code) {
        validateApplicationCode(
          changed.code ?? '',
          changed.inputs.map((stored) => stored.input),
          changed.references.map((stored) => stored.reference),
        );
      }
      const nowMs = this.clock.nowMs();
      const next: ApplicationRecord = {
        ...changed,
        versionId: record.versionId + 1,
        updatedAtMs: nowMs,
        ...(record.status === 'RUNNING'
          ? { status: 'UPDATING', transition: this.#transition('update') }
          : {}),
      };
      return { next, result: undefined };
    });
  }

  /** A status change that begins a transition (start, stop, delete). */
  beginTransition(record: ApplicationRecord, kind: TransitionKind): ApplicationRecord {
    const status = ({ start: 'STARTING', stop: 'STOPPING', update: 'UPDATING', delete: 'DELETING' } as const)[
      kind
    ];
    return { ...record, status, transition: this.#transition(kind) };
  }

  #transition(kind: TransitionKind): { kind: TransitionKind; dueAtMs: number } {
    return { kind, dueAtMs: this.clock.nowMs() + this.options.transitionDelayMs };
  }

  requireRuntime(operation: string): ApplicationRuntime {
    if (this.runtime === undefined) {
      throw unsupportedOperation(
        `${operation} is not supported by this server: it runs no SQL engine yet (docs/analytics-applications.md).`,
      );
    }
    return this.runtime;
  }

  #scheduleTransition(key: string, record: ApplicationRecord): void {
    const transition = record.transition;
    if (transition === undefined || this.#closed) return;
    this.#timers.get(key)?.();
    const delayMs = Math.max(0, transition.dueAtMs - this.clock.nowMs());
    const cancel = this.clock.schedule(delayMs, () => {
      this.#timers.delete(key);
      this.finishTransition(key).catch((error: unknown) => {
        this.#log('application transition failed; retrying in 1 s', { key, error: String(error) });
        if (this.#closed) return;
        const retry = this.clock.schedule(1000, () => {
          this.#timers.delete(key);
          const current = this.#applications.get(key);
          if (current !== undefined) this.#scheduleTransition(key, current.record);
        });
        this.#timers.set(key, retry);
      });
    });
    this.#timers.set(key, cancel);
  }

  /** Completes a pending transition; idempotent. */
  finishTransition(key: string): Promise<void> {
    return this.mutate(key, async (current) => {
      const record = current?.record;
      if (record?.transition === undefined || this.#closed) return { result: undefined };
      const { transition, ...rest } = record;
      const runtime = this.runtime;
      switch (transition.kind) {
        case 'start':
        case 'update': {
          if (transition.kind === 'update') await runtime?.stop(key);
          if (runtime === undefined) {
            return { next: { ...rest, status: 'READY', running: false }, result: undefined };
          }
          try {
            await runtime.start(key, rest, { resume: transition.kind === 'update' });
          } catch (error) {
            this.#log('application failed to start', { key, error: String(error) });
            return { next: { ...rest, status: 'READY', running: false }, result: undefined };
          }
          return { next: { ...rest, status: 'RUNNING', running: true }, result: undefined };
        }
        case 'stop':
          await runtime?.stop(key);
          return { next: { ...rest, status: 'READY', running: false }, result: undefined };
        case 'delete':
          await runtime?.stop(key);
          await runtime?.forget(key);
          return { next: null, result: undefined };
        default:
          return transition.kind satisfies never;
      }
    });
  }
}

/** Configuration changes are taken while READY or RUNNING. */
export function checkChangeable(record: ApplicationRecord): void {
  if (record.status !== 'READY' && record.status !== 'RUNNING') throw notAvailable(record);
}

export function notAvailable(record: ApplicationRecord): ServiceError {
  return resourceInUse(
    `Application ${record.name} is in ${record.status} state; the operation is not available.`,
  );
}
