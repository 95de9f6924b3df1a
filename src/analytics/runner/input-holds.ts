/**
 * Which read positions applications still need on a stream: the checkpoint of every input, of
 * every application (running or stopped), that reads the stream now — the replay point, before
 * the records open windows held (input-replay.ts), so that a restart can read them again. The owner of the stream's
 * log keeps what these positions have not passed (Firehose's Direct PUT log: see
 * `firehose/sources/direct-put-holds.ts`). An input that never started has no checkpoint and
 * holds nothing; deleting the application deletes its checkpoints, and an input moved to another
 * stream (UpdateApplication) no longer matches, so either releases the hold.
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { ApplicationRecord } from '../api/application-model.js';
import { checkpointKey, CheckpointStore, type InputCheckpoint } from './checkpoint-store.js';

const applicationsPrefix = 'analytics/applications/';

export async function checkpointsReading(catalog: Catalog, streamArn: string): Promise<InputCheckpoint[]> {
  const checkpoints = new CheckpointStore(catalog);
  const found: InputCheckpoint[] = [];
  for (const entry of await catalog.list<ApplicationRecord>(applicationsPrefix)) {
    for (const stored of entry.value.inputs) {
      const input = stored.input;
      const arn = (input.KinesisFirehoseInput ?? input.KinesisStreamsInput)?.ResourceARN;
      if (arn !== streamArn) continue;
      const checkpoint = await checkpoints.load(checkpointKey(entry.key, stored.id));
      if (checkpoint?.streamArn === streamArn) found.push(checkpoint);
    }
  }
  return found;
}
