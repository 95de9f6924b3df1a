/**
 * An input's durable read position, in the catalog: for every shard the sequence number of the
 * last record whose rows were processed and delivered, or SHARD_END once a closed shard was read
 * to its end; and where reading began (`startAtMs`: NOW's start time, 0 for TRIM_HORIZON), which
 * positions shards the checkpoint does not name yet. LAST_STOPPED_POINT and restarts resume from it.
 */
import type { Catalog } from '../../catalog/catalog.js';

export const shardEnd = 'SHARD_END';

export interface InputCheckpoint {
  readonly streamArn: string;
  readonly startAtMs: number;
  readonly shards: Readonly<Record<string, string>>;
}

export function checkpointKey(applicationKey: string, inputId: string): string {
  return `${applicationKey.replace('analytics/applications/', 'analytics/checkpoints/')}/${inputId}`;
}

export class CheckpointStore {
  readonly #catalog: Catalog;

  constructor(catalog: Catalog) {
    this.#catalog = catalog;
  }

  async load(key: string): Promise<InputCheckpoint | undefined> {
    return (await this.#catalog.get<InputCheckpoint>(key))?.value;
  }

  async save(key: string, checkpoint: InputCheckpoint): Promise<void> {
    await this.#catalog.put(key, checkpoint);
  }

  /** Deletes every checkpoint of an application. */
  async forget(applicationKey: string): Promise<void> {
    const prefix = `${checkpointKey(applicationKey, '')}`;
    for (const entry of await this.#catalog.list(prefix)) await this.#catalog.delete(entry.key);
  }
}
