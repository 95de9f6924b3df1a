import { invalidArgument, refuseDryRun, ServiceError } from '../../core/errors.js';
import {
  checkRecordSize,
  entryBytes,
  outcomeOrThrow,
  writeEntries,
  type PutEntry,
} from '../record-writer.js';
import { parseSequenceNumber } from '../sequence-number.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';

interface PutRecordInput extends StreamReference, Partial<PutEntry> {
  readonly SequenceNumberForOrdering?: string;
  readonly DryRun?: boolean;
}

export const putRecord = defineAction<PutRecordInput>('PutRecord', async ({ service, scope }, input) => {
  const startMs = service.metrics.startTimer();
  const loaded = service.findReadyStream(scope, input);
  const entry = requirePartitionKey(input, loaded.record.recordDistribution === 'AUTO');
  checkRecordSize(loaded, entry, 'data');
  if (input.SequenceNumberForOrdering !== undefined) {
    // Any later record's number is larger, since numbers grow with position; the value need
    // only be one we could have issued.
    const parts = parseSequenceNumber(input.SequenceNumberForOrdering);
    const fromTheFuture = parts !== undefined && parts.arrivalSeconds * 1000 > service.clock.nowMs();
    if ((parts === undefined && input.SequenceNumberForOrdering !== '0') || fromTheFuture) {
      throw invalidArgument(
        `ExclusiveMinimumSequenceNumber ${input.SequenceNumberForOrdering} used in PutRecord on stream ` +
          `${loaded.record.name} under account ${loaded.record.accountId} is invalid.`,
      );
    }
  }
  refuseDryRun(input);
  const [outcome] = await writeEntries(service, loaded, [entry], 'PutRecord');
  const { shardId, sequenceNumber, encryptionType } = outcomeOrThrow(outcome);
  const series = service.metrics.series(loaded.key);
  if (series !== undefined) {
    series.metrics.putRecordSuccess.value++;
    series.metrics.putRecordBytes.value += entryBytes(entry);
    series.metrics.putRecordLatency.observe(service.metrics.elapsedSeconds(startMs));
  }
  return { ShardId: shardId, SequenceNumber: sequenceNumber, EncryptionType: encryptionType };
});

/** The model now marks PartitionKey optional; a stream keyed by the user still needs one. */
function requirePartitionKey(input: PutRecordInput, auto: boolean): PutEntry {
  if (input.Data === undefined) throw nullMember('data');
  if (input.PartitionKey === undefined && !auto) throw nullMember('partitionKey');
  return { Data: input.Data, PartitionKey: input.PartitionKey, ExplicitHashKey: input.ExplicitHashKey };
}

export function nullMember(path: string): ServiceError {
  return new ServiceError(
    'ValidationException',
    `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
  );
}
