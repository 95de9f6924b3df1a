/**
 * What the analytics service needs in order to run applications: the runner side, wired in by
 * the server (over the SQL engine by default). Without one, StartApplication answers
 * UnsupportedOperationException, so that no application pretends to run SQL on a server that
 * has no engine.
 */
import type { ApplicationRecord } from './application-model.js';

export interface ApplicationRuntime {
  /** Throws an AWS-style error when this application's configuration cannot be run here. */
  checkRunnable(record: ApplicationRecord): void;
  /**
   * Starts running an application. `resume` (after a restart or an update) continues every shard
   * from its checkpoint; otherwise each input's starting position decides.
   */
  start(key: string, record: ApplicationRecord, options: { readonly resume: boolean }): Promise<void>;
  /** Stops it, after its last checkpoint was written; a no-op when it is not running. */
  stop(key: string): Promise<void>;
  /** Deletes what it kept for a deleted application (checkpoints). */
  forget(key: string): Promise<void>;
  /** Stops every application without changing its status: the server is going down. */
  close(): Promise<void>;
}
