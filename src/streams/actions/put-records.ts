import { invalidArgument, refuseDryRun } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { checkRecordSize, writeEntries, type PutEntry } from '../record-writer.js';
import type { StreamReference } from '../streams-service.js';
import { defineAction } from './action.js';
import { nullMember } from './put-record.js';

interface PutRecordsInput extends StreamReference {
  readonly Records: readonly Partial<PutEntry>[];
  readonly DryRun?: boolean;
}

export const putRecords = defineAction<PutRecordsInput>('PutRecords', async ({ service, scope }, input) => {
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
    totalBytes += entry.Data.length + Buffer.byteLength(entry.PartitionKey ?? '', 'utf8');
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
  return { FailedRecordCount: failed, Records: records, EncryptionType: encryptionType };
});
