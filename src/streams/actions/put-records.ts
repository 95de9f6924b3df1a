import { invalidArgument, refuseDryRun } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import {
  checkRecordSize,
  entryBytes,
  writeEntries,
  type PutEntry,
  type PutOutcome,
} from '../record-writer.js';
import type { LoadedStream, StreamReference, StreamsService } from '../streams-service.js';
import { defineAction } from './action.js';
import { nullMember } from './put-record.js';

interface PutRecordsInput extends StreamReference {
  readonly Records: readonly Partial<PutEntry>[];
  readonly DryRun?: boolean;
}

export const putRecords = defineAction<PutRecordsInput>('PutRecords', async ({ service, scope }, input) => {
  const startMs = service.metrics.startTimer();
  const loaded = service.findReadyStream(scope, input);
  const auto = loaded.record.recordDistribution === 'AUTO';
  let totalBytes = 0;
  const entries = input.Records.map((record, index): PutEntry => {
    if (record.PartitionKey === undefined && !auto)
      throw nullMember(`records.${index + 1}.member.partitionKey`);
    if (record.Data === undefined) throw nullMember(`records.${index + 1}.member.data`);
    const entry = {
      Data: record.Data,
      PartitionKey: record.PartitionKey,
      ExplicitHashKey: record.ExplicitHashKey,
    };
    checkRecordSize(loaded, entry, `records.${index + 1}.member.data`);
    totalBytes += entryBytes(entry);
    return entry;
  });
  if (totalBytes > limits.putRecordsBytesMax) {
    throw invalidArgument(
      `Records size exceeds ${limits.putRecordsBytesMax / (1024 * 1024)} MB limit. Request size was ${totalBytes} bytes.`,
    );
  }
  refuseDryRun(input);
  const outcomes = await writeEntries(service, loaded, entries, 'PutRecords');
  let failed = 0;
  let encryptionType = loaded.record.encryptionType;
  const records = outcomes.map((outcome) => {
    if (outcome.ok) encryptionType = outcome.encryptionType;
    if (outcome.ok) return { SequenceNumber: outcome.sequenceNumber, ShardId: outcome.shardId };
    failed++;
    return { ErrorCode: outcome.errorCode, ErrorMessage: outcome.errorMessage };
  });
  countPutRecords(service, loaded, startMs, entries, outcomes, totalBytes, failed);
  return { FailedRecordCount: failed, Records: records, EncryptionType: encryptionType };
});

/** The PutRecords.* metrics of one call; bytes of failed records are subtracted (rare path). */
function countPutRecords(
  service: StreamsService,
  loaded: LoadedStream,
  startMs: number,
  entries: readonly PutEntry[],
  outcomes: readonly PutOutcome[],
  totalBytes: number,
  failed: number,
): void {
  const series = service.metrics.series(loaded.key);
  if (series === undefined) return;
  const { metrics } = series;
  let succeededBytes = totalBytes;
  let throttled = 0;
  if (failed > 0) {
    outcomes.forEach((outcome, index) => {
      if (outcome.ok) return;
      succeededBytes -= entryBytes(entries[index] as PutEntry);
      if (outcome.errorCode === 'ProvisionedThroughputExceededException') throttled++;
    });
  }
  const succeeded = entries.length - failed;
  metrics.putRecordsTotalRecords.value += entries.length;
  metrics.putRecordsSuccessfulRecords.value += succeeded;
  metrics.putRecordsRecords.value += succeeded;
  metrics.putRecordsFailedRecords.value += failed - throttled;
  metrics.putRecordsThrottledRecords.value += throttled;
  metrics.putRecordsBytes.value += succeededBytes;
  if (succeeded > 0) {
    metrics.putRecordsSuccess.value++;
    metrics.putRecordsLatency.observe(service.metrics.elapsedSeconds(startMs));
  }
}
