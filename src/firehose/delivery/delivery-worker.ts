/**
 * The delivery of one delivery stream: a resumable loop that reads its source into a buffer,
 * and when the buffer is due (SizeInMBs reached, or the oldest record waited IntervalInSeconds)
 * writes one object to the S3 destination and then, only then, stores the checkpoint.
 *
 * At-least-once: a crash after the object was written but before the checkpoint re-delivers that
 * object's records after the restart (the only source of duplicates); a crash before leaves no
 * object and loses nothing, since the source still holds every record past the checkpoint.
 * A failed write is retried after `deliveryRetryDelayMs` with the same records, forever (the
 * stream stays ACTIVE, as on AWS). Configuration (prefix, compression, version) is read when an
 * object is sealed, so an UpdateDestination applies to records already buffered.
 *
 * With record format conversion enabled, a buffer becomes one Parquet object (`.parquet`) plus,
 * when some records fail conversion, one `format-conversion-failed` error object under the
 * ErrorOutputPrefix; both are written before the checkpoint.
 *
 * Record processing (de-aggregation, Lambda, jq, dynamic partitioning: `processing/`) runs once
 * per sealed buffer, before any object is written: each partition becomes its own object, and
 * failed records go to error objects, all before the checkpoint. A buffer whose write failed is
 * retried with the same processed result (the function is not invoked again).
 * A record destination (HTTP endpoint, OpenSearch, Elasticsearch, Splunk) gets the due buffer
 * processed the same way (its ProcessingConfiguration: a Lambda transformation; failed records go
 * to `processing-failed` error objects in its S3 backup bucket) and sealed as one `RecordBatch`:
 * no more records are read until that batch is done. Each step makes one attempt;
 * failures wait out AWS's backoff as the delay before the next step, and once RetryOptions run
 * out the failed records go to the S3 backup (`backup-objects.ts`). The checkpoint advances only
 * after every record was accepted by the destination or written to the backup. A batch's retry
 * state (attempts, first failure) outlives a restart (`retry-state-store.ts`).
 *
 * Every failure, and every record sent to an error output or to the backup, is also recorded in
 * the delivery stream's last errors (`delivery-errors.ts`, the console's "Last errors").
 */
import { randomUUID } from 'node:crypto';
import type { Catalog } from '../../catalog/catalog.js';
import type { Clock } from '../../core/clock.js';
import { ServiceError } from '../../core/errors.js';
import { limits, sizeUnits } from '../../core/limits.js';
import type { FirehoseMetrics } from '../firehose-metrics.js';
import type { DeliveryTarget } from '../firehose-metric-names.js';
import type { RedshiftLoader } from '../redshift/redshift-loader.js';
import {
  bucketNameOf,
  bufferingHintsOf,
  checkpointKey,
  isRecordDestination,
  type DeliveryStreamRecord,
  type RecordDestinationEntry,
} from '../delivery-stream-model.js';
import type { RecordDestination } from '../destinations/record-destination.js';
import { writeAllRecords, writeFailedRecords } from './backup-objects.js';
import { deliveryErrorOutcomes, type DeliveryErrorOutcome, type DeliveryErrors } from './delivery-errors.js';
import { RecordBatch, type AttemptResult } from './record-batch.js';
import { RetryStateStore, type BatchStart } from './retry-state-store.js';
import { SinkError, type ObjectSink } from '../sinks/object-sink.js';
import { compressObject, contentEncoding } from '../compression/compress-object.js';
import { checkConversion, conversionEnabled } from '../conversion/conversion-config.js';
import { BufferConverter } from '../conversion/buffer-conversion.js';
import { errorDocument, errorObjectKey, type FailedRecord } from '../processing/error-documents.js';
import type { FunctionInvoker } from '../processing/lambda-transform.js';
import { RecordProcessor, type ProcessedBuffer } from '../processing/record-processor.js';
import { DeliveryBuffer, type BufferedRecord } from './delivery-buffer.js';
import { evaluatePrefix, objectNameTime, type PartitionKeys } from './prefix-expressions.js';
import type { DeliverySource, SourcePosition } from './source-position.js';

export type Logger = (message: string, fields?: Record<string, unknown>) => void;

export interface DeliveryWorkerDeps {
  readonly catalog: Catalog;
  readonly sink: ObjectSink;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: FirehoseMetrics;
  /** Where failures are kept for the console (by delivery stream id). */
  readonly errors: DeliveryErrors;
  /** The function registry that Lambda processors invoke. */
  readonly functions: FunctionInvoker;
  /** Loads a Redshift destination's intermediate objects (COPY into PostgreSQL). */
  readonly redshift: RedshiftLoader;
  /** Upper bound of the interval trigger, whatever the destination says (tests and demos). */
  readonly bufferIntervalMsMax: number;
  /** The delivery stream as it is now; undefined once it is gone. */
  readonly current: () => DeliveryStreamRecord | undefined;
  readonly openSource: (
    record: DeliveryStreamRecord,
    checkpoint: SourcePosition | undefined,
  ) => DeliverySource;
  /** The record destination of a delivery stream as configured now (one per attempt). */
  readonly recordDestination: (
    record: DeliveryStreamRecord,
    destination: RecordDestinationEntry,
  ) => RecordDestination;
  readonly arnOf: (record: DeliveryStreamRecord) => string;
}

export class DeliveryWorker {
  readonly #deps: DeliveryWorkerDeps;
  readonly #deliveryStreamId: string;
  readonly #buffer = new DeliveryBuffer();
  #source: DeliverySource | undefined;
  #cancelTimer: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** Aborted by `stop`, to cut retry waits short. */
  readonly #stopping = new AbortController();
  #lastFailureReportMs = -Infinity;
  /** The batch being delivered to a record destination, until it is delivered or backed up. */
  #batch: RecordBatch | undefined;
  readonly #converter: BufferConverter;
  readonly #processor: RecordProcessor;
  /** The last checkpoint read or written: where the buffer's records start. */
  #checkpointPosition: BatchStart = null;
  readonly #retryStates: RetryStateStore;
  /** The processed form of the current buffer, and how many of its objects are written. */
  #processed: { result: ProcessedBuffer; written: number } | undefined;
  /** Failed attempts at the current buffer (S3 path) since its last checkpoint. */
  #failedAttempts = 0;

  constructor(deps: DeliveryWorkerDeps, deliveryStreamId: string) {
    this.#deps = deps;
    this.#processor = new RecordProcessor({
      functions: deps.functions,
      clock: deps.clock,
      metrics: deps.metrics,
    });
    this.#converter = new BufferConverter(deps.catalog);
    this.#retryStates = new RetryStateStore(deps.catalog, { deliveryStreamId });
    this.#deliveryStreamId = deliveryStreamId;
  }

  start(): void {
    this.#schedule(0);
  }

  /** Whether this worker delivers the delivery stream of that id (not an earlier one of its name). */
  serves(deliveryStreamId: string): boolean {
    return this.#deliveryStreamId === deliveryStreamId;
  }

  /** Stops after the step in progress; buffered records stay in the source for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.#cancelTimer?.();
    await this.#running;
    this.#processor.close();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#cancelTimer = this.#deps.clock.schedule(delayMs, () => {
      this.#running = this.#step().then(
        (nextDelayMs) => this.#schedule(nextDelayMs),
        (error: unknown) => {
          this.#report('delivery step failed; retrying', error);
          this.#failed(error, this.#buffer.records.length);
          this.#schedule(limits.deliveryRetryDelayMs);
        },
      );
    });
  }

  /** One read-and-maybe-deliver step; resolves with the delay before the next one. */
  async #step(): Promise<number> {
    const record = this.#deps.current();
    if (
      record === undefined ||
      record.deliveryStreamId !== this.#deliveryStreamId ||
      record.status !== 'ACTIVE'
    ) {
      return limits.deliveryPollIntervalMs;
    }
    const source = await this.#openSource(record);
    if (this.#batch !== undefined) return this.#attemptBatch(record, source);
    const hints = bufferingHintsOf(record.destination);
    const sizeBytes = hints.SizeInMBs * sizeUnits.MiB;
    const intervalMs = Math.min(hints.IntervalInSeconds * 1000, this.#deps.bufferIntervalMsMax);
    // A buffer already processed (its write failed) is retried as it is: reading more into it
    // would checkpoint records that its processed form does not hold.
    while (!this.#stopped && this.#processed === undefined && this.#buffer.bytes < sizeBytes) {
      const records = await source.readMore(sizeBytes - this.#buffer.bytes);
      if (records.length === 0) break;
      const readMs = this.#deps.clock.nowMs();
      for (const buffered of records) this.#buffer.add(buffered, Math.min(buffered.arrivalMs, readMs));
      if (record.kinesisSource !== undefined) {
        let bytes = 0;
        for (const buffered of records) bytes += buffered.data.length;
        this.#deps.metrics.readFromStream(record, records.length, bytes);
      }
    }
    this.#deps.metrics.buffered(record, deliveryTargetOf(record), this.#buffer.oldestMs);
    if (this.#stopped || !this.#buffer.isDue(this.#deps.clock.nowMs(), sizeBytes, intervalMs)) {
      return limits.deliveryPollIntervalMs;
    }
    if (isRecordDestination(record.destination)) {
      try {
        this.#batch = await this.#sealBatch(record);
      } catch (error) {
        this.#report('processing or writing processing-failed records failed; retrying', error);
        this.#failed(error, this.#buffer.records.length);
        return limits.deliveryRetryDelayMs;
      }
      return this.#attemptBatch(record, source);
    }
    try {
      await this.#deliver(record);
    } catch (error) {
      this.#report('delivery to the destination failed; retrying', error);
      this.#failed(error, this.#buffer.records.length);
      return limits.deliveryRetryDelayMs;
    }
    await this.#checkpoint(record, source);
    // More may be waiting (a backlog after a restart): go on at once.
    return 0;
  }

  async #checkpoint(record: DeliveryStreamRecord, source: DeliverySource): Promise<void> {
    const position = source.position();
    await this.#deps.catalog.put(checkpointKey(record), position);
    this.#checkpointPosition = position;
    // After the checkpoint: a crash in between leaves a state whose checkpoint no longer matches.
    await this.#retryStates.clear();
    this.#buffer.clear();
    this.#deps.metrics.buffered(record, deliveryTargetOf(record), undefined);
    this.#processed = undefined;
    this.#failedAttempts = 0;
    await source.delivered(position);
  }

  /**
   * One attempt of the sealed batch; once it is done (delivered, or its failures backed up, plus
   * the All* backup), the checkpoint. Resolves with the delay before the next step.
   */
  async #attemptBatch(record: DeliveryStreamRecord, source: DeliverySource): Promise<number> {
    const batch = this.#batch as RecordBatch;
    const destination = record.destination;
    if (!isRecordDestination(destination)) {
      // Updated to an S3 destination mid-retry: the records go there instead.
      this.#batch = undefined;
      return 0;
    }
    const target = this.#deps.recordDestination(record, destination);
    const retrySeconds =
      destination.config.RetryOptions?.DurationInSeconds ?? limits.recordRetryDurationSecondsDefault;
    if (batch.records.length > 0) {
      const pending = batch.pendingRecords;
      let bytes = 0;
      for (const one of pending) bytes += one.data.length;
      this.#deps.metrics.attempted(record, deliveryTargetOf(record), pending.length, bytes);
    }
    // Every record failed processing: nothing to send.
    const result: AttemptResult =
      batch.records.length === 0
        ? { kind: 'done', givenUp: [] }
        : await batch.attempt(target, {
            sourceArn: this.#deps.arnOf(record),
            retryDurationMs: retrySeconds * 1000,
            nowMs: () => this.#deps.clock.nowMs(),
            signal: this.#stopping.signal,
          });
    // Stopped mid-attempt: the batch is read again from the source at the next start.
    if (this.#stopped) return limits.deliveryPollIntervalMs;
    if (result.kind === 'retry') {
      const state = batch.retryState;
      if (state !== undefined) await this.#retryStates.save(this.#checkpointPosition, state);
      const first = result.failures[0];
      this.#report(
        'delivery to the destination failed; retrying',
        `${first?.errorCode}: ${first?.errorMessage}`,
      );
      if (first !== undefined) {
        this.#recordError({
          errorCode: first.errorCode,
          errorMessage: first.errorMessage,
          attempts: batch.attemptsMade,
          records: result.failures.length,
          outcome: deliveryErrorOutcomes.retrying,
        });
      }
      return result.delayMs;
    }
    const backup = { sink: this.#deps.sink, clock: this.#deps.clock, record, s3: destination.s3 };
    try {
      if (result.givenUp.length > 0) {
        const written = await writeFailedRecords(backup, target.errorOutputType, result.givenUp);
        this.#deps.metrics.delivered(record, 'BackupToS3', result.givenUp.length, written.bytes);
        this.#deps.logger('records failed delivery and were written to the S3 backup', {
          deliveryStream: record.name,
          key: written.key,
          records: result.givenUp.length,
          errorCode: result.givenUp[0]?.failure.errorCode,
        });
        const first = result.givenUp[0] as (typeof result.givenUp)[number];
        this.#recordError({
          errorCode: first.failure.errorCode,
          errorMessage: first.failure.errorMessage,
          attempts: first.attemptsMade,
          records: result.givenUp.length,
          outcome: deliveryErrorOutcomes.s3Backup,
        });
      }
      if (destination.config.S3BackupMode.startsWith('All') && batch.records.length > 0) {
        const written = await writeAllRecords(backup, batch.records);
        this.#deps.metrics.delivered(record, 'BackupToS3', batch.records.length, written.bytes);
      }
    } catch (error) {
      // The backup is the last resort: retry writing it (with the destination) until it works.
      this.#report('writing to the S3 backup failed; retrying', error);
      this.#failed(error, result.givenUp.length);
      return limits.deliveryRetryDelayMs;
    }
    const delivered = batch.records.length - result.givenUp.length;
    if (delivered > 0) {
      let bytes = 0;
      for (const one of batch.records) bytes += one.data.length;
      for (const given of result.givenUp) bytes -= given.record.data.length;
      this.#deps.metrics.delivered(record, deliveryTargetOf(record), delivered, bytes);
    }
    this.#deps.logger('records delivered', {
      deliveryStream: record.name,
      records: delivered,
      attempts: batch.attemptsMade,
    });
    this.#batch = undefined;
    await this.#checkpoint(record, source);
    return 0;
  }

  /**
   * Processes the due buffer of a record destination (once) and writes its failed records (each
   * error object once, even across retries), then seals the records to send.
   */
  async #sealBatch(record: DeliveryStreamRecord): Promise<RecordBatch> {
    if (this.#processed === undefined) {
      this.#processed = { result: await this.#processor.process(record, this.#buffer.records), written: 0 };
    }
    const processed = this.#processed;
    const writes = this.#failedWrites(record, processed.result);
    while (processed.written < writes.length) {
      await (writes[processed.written] as () => Promise<void>)();
      processed.written++;
    }
    const resumed = await this.#retryStates.resume(this.#checkpointPosition);
    if (resumed !== undefined) {
      this.#deps.logger('resuming the retries of a batch interrupted by a restart', {
        deliveryStream: record.name,
        attemptsMade: resumed.attemptsMade,
      });
    }
    return new RecordBatch(
      processed.result.partitions.flatMap((partition) => partition.records),
      Math.random,
      resumed,
    );
  }

  /** One write per error output type of a processed buffer's failed records. */
  #failedWrites(record: DeliveryStreamRecord, result: ProcessedBuffer): (() => Promise<void>)[] {
    const failedByType = new Map<string, FailedRecord[]>();
    for (const failed of result.failed) {
      const list = failedByType.get(failed.errorOutputType) ?? [];
      list.push(failed);
      failedByType.set(failed.errorOutputType, list);
    }
    return [...failedByType].map(
      ([errorOutputType, failed]) =>
        () =>
          this.#writeFailed(record, errorOutputType, failed),
    );
  }

  async #openSource(record: DeliveryStreamRecord): Promise<DeliverySource> {
    if (this.#source === undefined) {
      const checkpoint = await this.#deps.catalog.get<SourcePosition>(checkpointKey(record));
      this.#checkpointPosition = checkpoint?.value ?? null;
      this.#source = this.#deps.openSource(record, checkpoint?.value);
    }
    return this.#source;
  }

  /**
   * Processes the buffer (once), then writes its error objects and one object per partition; on a
   * retry after a failed write, objects already written are not written again.
   */
  async #deliver(record: DeliveryStreamRecord): Promise<void> {
    if (this.#processed === undefined) {
      this.#processed = { result: await this.#processor.process(record, this.#buffer.records), written: 0 };
    }
    const processed = this.#processed;
    const writes = this.#failedWrites(record, processed.result);
    for (const partition of processed.result.partitions) {
      if (partition.records.length === 0) continue;
      writes.push(() => this.#deliverRecords(record, partition.records, partition.partitionKeys));
    }
    while (processed.written < writes.length) {
      await (writes[processed.written] as () => Promise<void>)();
      processed.written++;
    }
  }

  async #writeFailed(
    record: DeliveryStreamRecord,
    errorOutputType: string,
    failed: readonly FailedRecord[],
  ): Promise<void> {
    let oldestMs = Infinity;
    for (const one of failed) oldestMs = Math.min(oldestMs, one.arrivalMs);
    const key = errorObjectKey(record, record.destination.s3, errorOutputType, oldestMs);
    const body = Buffer.from(failed.map((one) => errorDocument(one)).join('\n') + '\n');
    await this.#deps.sink.putObject(bucketNameOf(record.destination.s3.BucketARN), key, body, {
      contentType: 'application/octet-stream',
    });
    this.#deps.logger('records failed processing', {
      deliveryStream: record.name,
      key,
      errorOutputType,
      records: failed.length,
    });
    const first = failed[0] as FailedRecord;
    this.#recordError({
      errorCode: first.errorCode,
      errorMessage: first.errorMessage,
      attempts: first.attemptsMade,
      records: failed.length,
      outcome: deliveryErrorOutcomes.errorOutput,
    });
  }

  async #deliverRecords(
    record: DeliveryStreamRecord,
    records: readonly BufferedRecord[],
    partitionKeys: PartitionKeys | undefined,
  ): Promise<void> {
    const s3 = record.destination.s3;
    // A loop, not Math.min(...): a 128 MiB buffer may hold millions of records.
    let oldestMs = Infinity;
    for (const buffered of records) oldestMs = Math.min(oldestMs, buffered.arrivalMs);
    const conversion = s3.DataFormatConversionConfiguration as Record<string, unknown> | undefined;
    if (conversion !== undefined && conversionEnabled(conversion)) {
      await this.#deliverConverted(record, records, oldestMs, checkConversion(conversion, s3), partitionKeys);
      return;
    }
    const processing = s3.ProcessingConfiguration;
    const appendDelimiter =
      processing?.Enabled === true &&
      processing.Processors.some((processor) => processor.Type === 'AppendDelimiterToRecord');
    const raw = appendDelimiter
      ? joinWithDelimiter(records.map((buffered) => buffered.data))
      : Buffer.concat(records.map((buffered) => buffered.data));
    const compressed = compressObject(s3.CompressionFormat, raw, this.#deps.clock);
    const encoding = contentEncoding(s3.CompressionFormat);
    const extension =
      s3.FileExtension !== undefined && s3.FileExtension !== '' ? s3.FileExtension : compressed.extension;
    const timeZone = s3.CustomTimeZone as string | undefined;
    const key =
      evaluatePrefix(s3.Prefix, {
        timestampMs: oldestMs,
        ...(timeZone === undefined ? {} : { timeZone }),
        ...(partitionKeys === undefined ? {} : { partitionKeys }),
      }) +
      `${record.name}-${record.versionId}-${objectNameTime(oldestMs, timeZone)}-${randomUUID()}${extension}`;
    await this.#deps.sink.putObject(bucketNameOf(s3.BucketARN), key, compressed.body, {
      contentType: 'application/octet-stream',
      ...(encoding === undefined ? {} : { contentEncoding: encoding }),
    });
    this.#deps.metrics.delivered(record, 'S3', records.length, compressed.body.length);
    if (record.destination.kind === 'Redshift') {
      await this.#deps.redshift.deliver(
        record,
        {
          bucket: bucketNameOf(s3.BucketARN),
          key,
          body: compressed.body,
          raw,
          records: records.length,
          oldestMs,
        },
        this.#stopping.signal,
      );
    }
    this.#deps.logger('object delivered', {
      deliveryStream: record.name,
      key,
      records: records.length,
      bytes: compressed.body.length,
    });
  }

  async #deliverConverted(
    record: DeliveryStreamRecord,
    records: readonly BufferedRecord[],
    oldestMs: number,
    conversion: ReturnType<typeof checkConversion>,
    partitionKeys: PartitionKeys | undefined,
  ): Promise<void> {
    const s3 = record.destination.s3;
    const bucket = bucketNameOf(s3.BucketARN);
    const converted = await this.#converter.convert(records, conversion, record, () =>
      this.#deps.clock.nowMs(),
    );
    const suffix = (): string =>
      `${record.name}-${record.versionId}-${objectNameTime(oldestMs)}-${randomUUID()}`;
    if (converted.errors !== undefined) {
      const errorPrefix =
        s3.ErrorOutputPrefix !== undefined && s3.ErrorOutputPrefix !== ''
          ? s3.ErrorOutputPrefix
          : `${formatConversionFailed}/`;
      const key =
        evaluatePrefix(errorPrefix, { timestampMs: oldestMs, errorOutputType: formatConversionFailed }) +
        suffix();
      await this.#deps.sink.putObject(bucket, key, converted.errors, {
        contentType: 'application/octet-stream',
      });
      this.#deps.logger('records failed format conversion', {
        deliveryStream: record.name,
        key,
        records: converted.failedRecords,
      });
      this.#recordError({
        errorCode: converted.firstFailure?.code ?? formatConversionFailed,
        errorMessage: converted.firstFailure?.message ?? '',
        attempts: 1,
        records: converted.failedRecords,
        outcome: deliveryErrorOutcomes.errorOutput,
      });
    }
    if (converted.parquet !== undefined) {
      const extension =
        s3.FileExtension !== undefined && s3.FileExtension !== '' ? s3.FileExtension : '.parquet';
      const key =
        evaluatePrefix(s3.Prefix, {
          timestampMs: oldestMs,
          ...(partitionKeys === undefined ? {} : { partitionKeys }),
        }) +
        suffix() +
        extension;
      await this.#deps.sink.putObject(bucket, key, converted.parquet, {
        contentType: 'application/octet-stream',
      });
      this.#deps.metrics.delivered(record, 'S3', converted.convertedRecords, converted.parquet.length);
      this.#deps.logger('object delivered', {
        deliveryStream: record.name,
        key,
        records: converted.convertedRecords,
        bytes: converted.parquet.length,
      });
    }
  }

  /** A failed step whose records stay to be retried: one more attempt in the last errors. */
  #failed(error: unknown, records: number): void {
    // A step cut short by `stop` did not fail: it is read again at the next start.
    if (this.#stopped) return;
    this.#failedAttempts += 1;
    this.#recordError({
      errorCode: errorCodeOf(error),
      errorMessage: error instanceof Error ? error.message : String(error),
      attempts: this.#failedAttempts,
      records,
      outcome: deliveryErrorOutcomes.retrying,
    });
  }

  #recordError(error: {
    readonly errorCode: string;
    readonly errorMessage: string;
    readonly attempts: number;
    readonly records: number;
    readonly outcome: DeliveryErrorOutcome;
  }): void {
    const record = this.#deps.current();
    if (record === undefined || record.deliveryStreamId !== this.#deliveryStreamId) return;
    this.#deps.errors.record(this.#deliveryStreamId, {
      timeMs: this.#deps.clock.nowMs(),
      destination: record.destination.kind,
      ...error,
    });
    this.#deps.metrics.deliveryError(record);
  }

  /** Reports a failure at most every 10 s, so a destination that is down does not flood the log. */
  #report(message: string, error: unknown): void {
    const nowMs = this.#deps.clock.nowMs();
    if (nowMs - this.#lastFailureReportMs < 10_000) return;
    this.#lastFailureReportMs = nowMs;
    const record = this.#deps.current();
    this.#deps.logger(message, {
      deliveryStream: record?.name,
      error: String(error),
      cause: String((error as Error).cause ?? ''),
    });
  }
}

/**
 * AppendDelimiterToRecord: a newline between records (AWS's API reference says "between records",
 * and third-party captures of real objects show no newline after the last one).
 */
function joinWithDelimiter(records: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  records.forEach((data, index) => {
    if (index > 0) parts.push(newline);
    parts.push(data);
  });
  return Buffer.concat(parts);
}

const newline = Buffer.from('\n');

/** The AWS error code of a failed step: the sink's or service's own, else InternalError. */
function errorCodeOf(error: unknown): string {
  if (error instanceof SinkError || error instanceof ServiceError) return error.code;
  return 'InternalError';
}

/** The `!{firehose:error-output-type}` of records that failed conversion. */
const formatConversionFailed = 'format-conversion-failed';

/**
 * The delivery metrics a delivery stream's buffer counts under (`DeliveryTo<target>.*`): S3 for S3
 * and Redshift (whose buffer goes to its intermediate bucket first), else the record destination.
 */
function deliveryTargetOf(record: DeliveryStreamRecord): DeliveryTarget {
  const kind = record.destination.kind;
  return kind === 'ExtendedS3' || kind === 'Redshift' ? 'S3' : kind;
}
