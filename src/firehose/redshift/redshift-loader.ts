/**
 * The Redshift step of a delivery: after the buffer's intermediate object is in the
 * S3Configuration bucket, load it into the table with COPY (PostgreSQL in the Redshift role), and
 * write the source-record backup when S3BackupMode is Enabled.
 *
 * A COPY that fails is retried with backoff (1 s doubling to 30 s) while RetryOptions'
 * DurationInSeconds, counted from the first attempt, allows another attempt (0: one attempt).
 * Then, as AWS does, the object is skipped: a Redshift manifest naming it
 * (`{"entries":[{"url":"s3://bucket/key","mandatory":true}]}`) is written under
 * `<Prefix>errors/manifests/YYYY/MM/dd/HH/` in the same bucket for a manual backfill, and
 * delivery goes on; the object itself stays where it is, so nothing is lost. A stop (server
 * shutdown, stream deleted) during retries rejects, so the buffer is not checkpointed and is
 * delivered again after a restart.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { compressObject } from '../compression/compress-object.js';
import { contentEncoding } from '../compression/compress-object.js';
import {
  bucketNameOf,
  type DeliveryStreamRecord,
  type S3DestinationEntry,
} from '../delivery-stream-model.js';
import { evaluatePrefix, objectNameTime } from '../delivery/prefix-expressions.js';
import type { FirehoseMetrics } from '../firehose-metrics.js';
import type { ObjectSink } from '../sinks/object-sink.js';
import { parseCopyOptions } from './copy-options.js';
import { columnNames, copyIntoPostgres, postgresTargetOf, tableNameSql } from './postgres-copy.js';
import type { RedshiftState } from './redshift-config.js';

export type LoaderLogger = (message: string, fields?: Record<string, unknown>) => void;

export interface IntermediateObject {
  readonly bucket: string;
  readonly key: string;
  /** As written (compressed when the S3Configuration says GZIP). */
  readonly body: Buffer;
  /** The records' bytes before compression, for the S3 backup. */
  readonly raw: Buffer;
  readonly records: number;
  readonly oldestMs: number;
}

const retryDelayMsFirst = 1_000;
const retryDelayMsMax = 30_000;
/** Connection and statement timeout of one COPY attempt. */
const copyTimeoutMs = 300_000;

export class RedshiftLoader {
  readonly #clock: Clock;
  readonly #sink: ObjectSink;
  readonly #metrics: FirehoseMetrics;
  readonly #log: LoaderLogger;

  constructor(deps: { clock: Clock; sink: ObjectSink; metrics: FirehoseMetrics; logger: LoaderLogger }) {
    this.#clock = deps.clock;
    this.#sink = deps.sink;
    this.#metrics = deps.metrics;
    this.#log = deps.logger;
  }

  /** Backs up, then loads the object; resolves once it is loaded or skipped with a manifest. */
  async deliver(
    record: DeliveryStreamRecord,
    object: IntermediateObject,
    signal: AbortSignal,
  ): Promise<void> {
    const redshift = (record.destination as S3DestinationEntry).redshift as RedshiftState;
    if (redshift.S3BackupMode === 'Enabled' && redshift.S3BackupConfiguration !== undefined) {
      await this.#backup(record, redshift, object);
    }
    const startedMs = this.#clock.nowMs();
    const deadlineMs = startedMs + redshift.RetryOptions.DurationInSeconds * 1000;
    let delayMs = retryDelayMsFirst;
    let attempts = 0;
    for (;;) {
      attempts++;
      try {
        const rows = await this.#copy(redshift, object);
        this.#metrics.delivered(record, 'Redshift', rows, object.body.length);
        this.#log('object loaded into Redshift (PostgreSQL)', {
          deliveryStream: record.name,
          key: object.key,
          table: redshift.CopyCommand.DataTableName,
          rows,
          attempts,
        });
        return;
      } catch (error) {
        if (signal.aborted) throw error;
        const retry = this.#clock.nowMs() + delayMs < deadlineMs;
        this.#log(retry ? 'Redshift COPY failed; retrying' : 'Redshift COPY failed; retry duration over', {
          deliveryStream: record.name,
          key: object.key,
          attempts,
          error: String((error as Error).message ?? error),
        });
        if (!retry) break;
        await sleep(this.#clock, delayMs, signal);
        if (signal.aborted) throw new Error('delivery stopped during Redshift retries');
        delayMs = Math.min(delayMs * 2, retryDelayMsMax);
      }
    }
    await this.#writeErrorManifest(record, object);
  }

  async #copy(redshift: RedshiftState, object: IntermediateObject): Promise<number> {
    const target = postgresTargetOf(redshift.ClusterJDBCURL);
    const table = tableNameSql(redshift.CopyCommand.DataTableName);
    const columnsText = redshift.CopyCommand.DataTableColumns ?? '';
    const columns = columnsText.trim() === '' ? [] : columnNames(columnsText);
    // Checked at create and update; a stored value that fails here is a programmer error.
    if (target === undefined || table === undefined || columns === undefined) {
      throw new Error('the stored Redshift configuration cannot be loaded (JDBC URL, table or columns)');
    }
    return copyIntoPostgres({
      target,
      user: redshift.Username,
      password: redshift.Password,
      table,
      columns,
      plan: parseCopyOptions(redshift.CopyCommand.CopyOptions),
      body: object.body,
      timeoutMs: copyTimeoutMs,
    });
  }

  async #writeErrorManifest(record: DeliveryStreamRecord, object: IntermediateObject): Promise<void> {
    const nowMs = this.#clock.nowMs();
    const prefix = record.destination.s3.Prefix ?? '';
    const key =
      evaluatePrefix(`${prefix}errors/manifests/`, { timestampMs: nowMs }) +
      `${record.name}-${record.versionId}-${objectNameTime(nowMs)}-${randomUUID()}`;
    const manifest = { entries: [{ url: `s3://${object.bucket}/${object.key}`, mandatory: true }] };
    await this.#sink.putObject(object.bucket, key, Buffer.from(JSON.stringify(manifest)), {
      contentType: 'application/json',
    });
    this.#log('Redshift COPY skipped the object; error manifest written', {
      deliveryStream: record.name,
      object: object.key,
      manifest: key,
      records: object.records,
    });
  }

  async #backup(
    record: DeliveryStreamRecord,
    redshift: RedshiftState,
    object: IntermediateObject,
  ): Promise<void> {
    const backup = redshift.S3BackupConfiguration as NonNullable<RedshiftState['S3BackupConfiguration']>;
    const compressed = compressObject(backup.CompressionFormat, object.raw, this.#clock);
    const encoding = contentEncoding(backup.CompressionFormat);
    const key =
      evaluatePrefix(backup.Prefix, { timestampMs: object.oldestMs }) +
      `${record.name}-${record.versionId}-${objectNameTime(object.oldestMs)}-${randomUUID()}${compressed.extension}`;
    await this.#sink.putObject(bucketNameOf(backup.BucketARN), key, compressed.body, {
      contentType: 'application/octet-stream',
      ...(encoding === undefined ? {} : { contentEncoding: encoding }),
    });
    this.#metrics.delivered(record, 'BackupToS3', object.records, compressed.body.length);
  }
}

function sleep(clock: Clock, delayMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const cancel = clock.schedule(delayMs, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
