/**
 * Record processing between the buffer and the destination, in AWS's order: decompression →
 * record de-aggregation (KPL, then JSON or delimited; so concatenated CloudWatch Logs envelopes
 * can be split) → CloudWatch Logs message extraction → Lambda transformation →
 * MetadataExtraction (jq) → dynamic partitioning. One call per sealed buffer: buffered records in; records to deliver,
 * grouped by partition, and failed records (with their error output type) out.
 *
 * Partitioning: records are grouped by the values of the partition keys the Prefix references; at
 * most `dynamicPartitionsActiveMax` groups per buffer, the records of further groups go to the
 * `activePartitionExceeded` error output. A record whose keys cannot be extracted, or whose
 * prefix cannot be evaluated, goes to the `partitioning-failed` error output.
 *
 * Keeps one jq process per query for the delivery stream's life (`close` ends it).
 */
import type { Clock } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import { limits } from '../../core/limits.js';
import { partitionOf } from '../../core/arn.js';
import type { DeliveryStreamRecord } from '../delivery-stream-model.js';
import type { FirehoseMetrics } from '../firehose-metrics.js';
import type { BufferedRecord } from '../delivery/delivery-buffer.js';
import {
  evaluatePrefix,
  MissingPartitionKeyError,
  partitionKeyReferences,
  type PartitionKeys,
} from '../delivery/prefix-expressions.js';
import { decompressGzip, extractLogMessages } from './cloudwatch-logs.js';
import { errorOutputTypes, type FailedRecord } from './error-documents.js';
import { JqExtractor } from './jq-extractor.js';
import { lambdaTransform, type FunctionInvoker } from './lambda-transform.js';
import { planIsEmpty, processingPlanOf } from './processor-config.js';
import type { ProcessingRecord } from './processing-record.js';
import { deAggregate } from './record-deaggregation.js';

export interface Partition {
  /** Absent without dynamic partitioning. */
  readonly partitionKeys?: PartitionKeys;
  readonly records: readonly BufferedRecord[];
}

export interface ProcessedBuffer {
  readonly partitions: readonly Partition[];
  readonly failed: readonly FailedRecord[];
}

export interface RecordProcessorDeps {
  readonly functions: FunctionInvoker;
  readonly clock: Clock;
  /** ExecuteProcessing.* and SucceedProcessing.* of the Lambda processor. */
  readonly metrics?: FirehoseMetrics;
}

export class RecordProcessor {
  readonly #deps: RecordProcessorDeps;
  #jq: JqExtractor | undefined;

  constructor(deps: RecordProcessorDeps) {
    this.#deps = deps;
  }

  async process(record: DeliveryStreamRecord, buffered: readonly BufferedRecord[]): Promise<ProcessedBuffer> {
    const plan = processingPlanOf(record.destination);
    if (planIsEmpty(plan)) return { partitions: [{ records: buffered }], failed: [] };
    let records: ProcessingRecord[] = buffered.map((one) => ({
      data: one.data,
      raw: one.data,
      arrivalMs: one.arrivalMs,
      ...(one.sequenceNumber === undefined ? {} : { sequenceNumber: one.sequenceNumber }),
      ...(one.kinesis === undefined ? {} : { kinesis: one.kinesis }),
    }));
    const failed: FailedRecord[] = [];
    if (plan.decompression !== undefined) records = this.#decompress(records, failed);
    const deAggregation = plan.deAggregation;
    if (deAggregation !== undefined) {
      // After decompression a piece's error documents carry the compressed record it came from.
      const keepRaw = plan.decompression !== undefined;
      records = records.flatMap((one) =>
        deAggregate(one.data, deAggregation).map((piece) => ({
          ...one,
          data: piece,
          raw: keepRaw ? one.raw : piece,
        })),
      );
    }
    if (plan.logMessageExtraction === true) records = this.#extractLogMessages(records, failed);
    if (plan.lambda !== undefined) {
      const sourceArn = record.kinesisSource?.kinesisStreamArn;
      const transformed = await lambdaTransform(
        records,
        plan.lambda,
        {
          deliveryStreamArn: `arn:${partitionOf(record.region)}:firehose:${record.region}:${record.accountId}:deliverystream/${record.name}`,
          region: record.region,
          ...(sourceArn === undefined ? {} : { sourceKinesisStreamArn: sourceArn }),
        },
        this.#deps.functions,
        this.#deps.clock,
        (durationMs, succeeded) => this.#deps.metrics?.invokedProcessor(record, durationMs, succeeded),
      );
      records = transformed.records;
      let bytes = 0;
      for (const one of records) bytes += one.data.length;
      this.#deps.metrics?.processed(record, records.length, bytes);
      failed.push(...transformed.failed);
    }
    if (plan.metadataExtractionQuery !== undefined) {
      records = await this.#extract(records, plan.metadataExtractionQuery, failed);
    }
    if (!plan.dynamicPartitioning) {
      return { partitions: [{ records: records.map(toBuffered) }], failed };
    }
    return { partitions: this.#partition(record, records, failed), failed };
  }

  /** Gunzips each record; one that fails goes to decompression-failed as it arrived. */
  #decompress(records: readonly ProcessingRecord[], failed: FailedRecord[]): ProcessingRecord[] {
    const kept: ProcessingRecord[] = [];
    const endMs = this.#deps.clock.nowMs();
    for (const one of records) {
      const decompressed = decompressGzip(one.data);
      if ('ok' in decompressed) kept.push({ ...one, data: decompressed.ok });
      else failed.push(decompressionFailure(one, decompressed, endMs));
    }
    return kept;
  }

  /**
   * CloudWatchLogProcessing: a DATA_MESSAGE envelope becomes one record per log message, a
   * CONTROL_MESSAGE none; anything else goes to decompression-failed as it arrived.
   */
  #extractLogMessages(records: readonly ProcessingRecord[], failed: FailedRecord[]): ProcessingRecord[] {
    const kept: ProcessingRecord[] = [];
    const endMs = this.#deps.clock.nowMs();
    for (const one of records) {
      const messages = extractLogMessages(one.data);
      if (!('ok' in messages)) {
        failed.push(decompressionFailure(one, messages, endMs));
        continue;
      }
      for (const message of messages.ok) kept.push({ ...one, data: message });
    }
    return kept;
  }

  async #extract(
    records: ProcessingRecord[],
    query: string,
    failed: FailedRecord[],
  ): Promise<ProcessingRecord[]> {
    if (this.#jq?.query !== query) {
      this.#jq?.close();
      this.#jq = new JqExtractor(query);
    }
    const outcomes = await this.#jq.run(records.map((one) => one.data.toString('utf8')));
    const endMs = this.#deps.clock.nowMs();
    const kept: ProcessingRecord[] = [];
    records.forEach((one, index) => {
      const outcome = outcomes[index];
      const keys = outcome !== undefined && 'ok' in outcome ? keysOf(outcome.ok) : undefined;
      if (typeof keys === 'object') {
        kept.push({ ...one, queryKeys: keys });
        return;
      }
      const message =
        outcome !== undefined && 'error' in outcome
          ? `jq could not evaluate the MetadataExtractionQuery on the record: ${outcome.error}`
          : (keys ?? 'jq gave no result');
      failed.push(partitioningFailure(one, 'DynamicPartitioning.MetadataExtractionFailed', message, endMs));
    });
    return kept;
  }

  #partition(
    record: DeliveryStreamRecord,
    records: readonly ProcessingRecord[],
    failed: FailedRecord[],
  ): Partition[] {
    const s3 = record.destination.s3;
    const references = partitionKeyReferences(s3.Prefix);
    const groups = new Map<string, { partitionKeys: PartitionKeys; records: ProcessingRecord[] }>();
    const endMs = this.#deps.clock.nowMs();
    for (const one of records) {
      const partitionKeys: PartitionKeys = {
        ...(one.queryKeys === undefined ? {} : { Query: one.queryKeys }),
        ...(one.lambdaKeys === undefined ? {} : { Lambda: one.lambdaKeys }),
      };
      const values: string[] = [];
      let missing: string | undefined;
      for (const reference of references) {
        const value = partitionKeys[reference.source]?.[reference.key];
        if (value === undefined) {
          missing = `The partition key ${reference.key} (partitionKeyFrom${reference.source}) is missing from the record.`;
          break;
        }
        values.push(value);
      }
      if (missing !== undefined) {
        failed.push(partitioningFailure(one, 'DynamicPartitioning.PartitionKeyMissing', missing, endMs));
        continue;
      }
      const groupKey = JSON.stringify(values);
      let group = groups.get(groupKey);
      if (group === undefined) {
        if (groups.size >= limits.dynamicPartitionsActiveMax) {
          failed.push({
            ...partitioningFailure(
              one,
              'DynamicPartitioning.ActivePartitionsLimitExceeded',
              `The number of active partitions exceeded the limit of ${limits.dynamicPartitionsActiveMax}.`,
              endMs,
            ),
            errorOutputType: errorOutputTypes.activePartitionExceeded,
          });
          continue;
        }
        group = { partitionKeys, records: [] };
        groups.set(groupKey, group);
      }
      group.records.push(one);
    }
    const partitions: Partition[] = [];
    const timeZone = s3.CustomTimeZone as string | undefined;
    for (const group of groups.values()) {
      try {
        evaluatePrefix(s3.Prefix, {
          timestampMs: group.records[0]?.arrivalMs ?? endMs,
          partitionKeys: group.partitionKeys,
          ...(timeZone === undefined ? {} : { timeZone }),
        });
      } catch (error) {
        if (!(error instanceof ServiceError) && !(error instanceof MissingPartitionKeyError)) throw error;
        for (const one of group.records) {
          failed.push(
            partitioningFailure(one, 'DynamicPartitioning.PrefixEvaluationFailed', error.message, endMs),
          );
        }
        continue;
      }
      partitions.push({ partitionKeys: group.partitionKeys, records: group.records.map(toBuffered) });
    }
    return partitions;
  }

  close(): void {
    this.#jq?.close();
    this.#jq = undefined;
  }
}

function toBuffered(one: ProcessingRecord): BufferedRecord {
  return {
    data: one.data,
    arrivalMs: one.arrivalMs,
    ...(one.sequenceNumber === undefined ? {} : { sequenceNumber: one.sequenceNumber }),
  };
}

function decompressionFailure(
  one: ProcessingRecord,
  outcome: { readonly errorCode: string; readonly errorMessage: string },
  endMs: number,
): FailedRecord {
  return {
    errorOutputType: errorOutputTypes.decompressionFailed,
    attemptsMade: 1,
    arrivalMs: one.arrivalMs,
    errorCode: outcome.errorCode,
    errorMessage: outcome.errorMessage,
    attemptEndingMs: endMs,
    rawData: one.raw,
  };
}

function partitioningFailure(
  one: ProcessingRecord,
  errorCode: string,
  errorMessage: string,
  endMs: number,
): FailedRecord {
  return {
    errorOutputType: errorOutputTypes.partitioningFailed,
    attemptsMade: 1,
    arrivalMs: one.arrivalMs,
    errorCode,
    errorMessage,
    attemptEndingMs: endMs,
    rawData: one.raw,
  };
}

/**
 * The keys of a query's outputs: exactly one object, at most `partitionKeysMax` members; strings
 * as they are, numbers and booleans as their JSON text, null members left out (a Prefix that
 * needs one fails the record). A string explains a result that is not usable.
 */
function keysOf(outputs: readonly unknown[]): Record<string, string> | string {
  if (outputs.length !== 1)
    return `The MetadataExtractionQuery gave ${outputs.length} results; expected one object.`;
  const output = outputs[0];
  if (typeof output !== 'object' || output === null || Array.isArray(output)) {
    return 'The MetadataExtractionQuery did not give a JSON object.';
  }
  const entries = Object.entries(output);
  if (entries.length > limits.partitionKeysMax) {
    return `The MetadataExtractionQuery gave more than ${limits.partitionKeysMax} partition keys.`;
  }
  const keys: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (value === null) continue;
    keys[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return keys;
}
