/**
 * Delivers an application's output rows to its destinations (Kinesis streams with PutRecords,
 * Firehose delivery streams with PutRecordBatch: the gateway routes by ARN), at least once: rows
 * are queued as the engine emits them and `flush` writes them with PutRecords (500 records per
 * call), retrying failed entries with a growing pause until they are written or the runner stops.
 * The runner checkpoints its input only after a flush, so rows that were not delivered are read
 * and produced again after a restart.
 */
import { randomBytes } from 'node:crypto';
import type { StoredOutput } from '../api/application-model.js';
import type { StreamColumn } from '../records/sql-value.js';
import type { Row } from './application-engine.js';
import { formatRow } from './output-format.js';
import type { StreamGateway } from './stream-gateway.js';

const putRecordsCountMax = 500;
const retryPauseMsMax = 5_000;

function retryPauseMs(attempt: number): number {
  return Math.min(retryPauseMsMax, 100 * 2 ** Math.min(attempt, 10));
}

export type Logger = (message: string, fields?: Record<string, unknown>) => void;

interface Destination {
  readonly outputId: string;
  readonly streamName: string;
  readonly streamArn: string;
  readonly format: 'JSON' | 'CSV';
  pending: Buffer[];
}

export class OutputWriter {
  readonly #gateway: StreamGateway;
  readonly #destinations: Destination[];
  readonly #log: Logger;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onWritten: (outputId: string, streamName: string, count: number) => void;
  #stopped = false;
  /** Records written so far, by output id (for tests and metrics). */
  readonly written = new Map<string, number>();

  constructor(deps: {
    gateway: StreamGateway;
    outputs: readonly StoredOutput[];
    logger: Logger;
    sleep: (ms: number) => Promise<void>;
    /** Called after records of an output were written. */
    onWritten?: (outputId: string, streamName: string, count: number) => void;
  }) {
    this.#gateway = deps.gateway;
    this.#log = deps.logger;
    this.#sleep = deps.sleep;
    this.#onWritten = deps.onWritten ?? (() => undefined);
    this.#destinations = deps.outputs.flatMap(({ id, output }) => {
      const arn = (output.KinesisStreamsOutput ?? output.KinesisFirehoseOutput)?.ResourceARN;
      if (arn === undefined) return [];
      return [
        {
          outputId: id,
          streamName: output.Name,
          streamArn: arn,
          format: output.DestinationSchema.RecordFormatType ?? 'JSON',
          pending: [],
        },
      ];
    });
  }

  /** The in-application streams some output reads. */
  get streamNames(): ReadonlySet<string> {
    return new Set(this.#destinations.map((destination) => destination.streamName));
  }

  enqueue(streamName: string, columns: readonly StreamColumn[], rows: readonly Row[]): void {
    for (const destination of this.#destinations) {
      if (destination.streamName !== streamName) continue;
      for (const row of rows) destination.pending.push(formatRow(destination.format, columns, row));
    }
  }

  /** Writes everything queued; resolves false when stopped before it was all written. */
  async flush(): Promise<boolean> {
    for (const destination of this.#destinations) {
      while (destination.pending.length > 0) {
        if (this.#stopped) return false;
        const batch = destination.pending.slice(0, putRecordsCountMax);
        const failed = await this.#put(destination, batch);
        const written = batch.length - failed.length;
        this.written.set(destination.outputId, (this.written.get(destination.outputId) ?? 0) + written);
        if (written > 0) this.#onWritten(destination.outputId, destination.streamName, written);
        destination.pending = [...failed, ...destination.pending.slice(batch.length)];
      }
    }
    return true;
  }

  async #put(destination: Destination, batch: readonly Buffer[]): Promise<Buffer[]> {
    for (let attempt = 0; !this.#stopped; attempt++) {
      try {
        const records = batch.map((data) => ({ data, partitionKey: randomBytes(8).toString('hex') }));
        const failed = await this.#gateway.putRecords(destination.streamArn, records);
        // Throttled entries: pause before the caller sends them again.
        if (failed.length > 0) await this.#sleep(retryPauseMs(attempt));
        return failed.map((index) => batch[index] as Buffer);
      } catch (error) {
        if (attempt % 20 === 0) {
          this.#log('application output cannot be written; retrying', {
            output: destination.outputId,
            stream: destination.streamArn,
            error: String(error),
          });
        }
        await this.#sleep(retryPauseMs(attempt));
      }
    }
    return [...batch];
  }

  stop(): void {
    this.#stopped = true;
  }
}
