/**
 * Delivers an application's output rows to its destinations (Kinesis streams with PutRecords,
 * Firehose delivery streams with PutRecordBatch: the gateway routes by ARN), at least once: rows
 * are queued as the engine emits them and `flush` writes them with PutRecords (500 records per
 * call), retrying failed entries with a growing pause until they are written or the runner stops.
 * The runner checkpoints its input only after a flush, so rows that were not delivered are read
 * and produced again after a restart.
 *
 * A LambdaOutput is a function of the registry, invoked in Kinesis Analytics' delivery contract:
 * event `{invocationId, applicationArn, records:[{recordId, lambdaDeliveryRecordMetadata
 * {retryHint}, data(base64)}]}`, response `{records:[{recordId, result: Ok|DeliveryFailed}]}`;
 * DeliveryFailed records, records the response does not name, and every record of a failed
 * invocation or of a response that is not `{records:[…]}` are retried like throttled entries.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { StoredOutput } from '../api/application-model.js';
import type { StreamColumn } from '../records/sql-value.js';
import type { Row } from './application-engine.js';
import { formatRow } from './output-format.js';
import type { FunctionInvoker } from './input-preprocessor.js';
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
  /** A stream or delivery stream ARN, or a function's (`lambda`). */
  readonly streamArn: string;
  readonly lambda: boolean;
  readonly format: 'JSON' | 'CSV';
  pending: Buffer[];
}

export class OutputWriter {
  readonly #gateway: StreamGateway;
  readonly #functions: FunctionInvoker | undefined;
  readonly #applicationArn: string;
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
    /** For LambdaOutput destinations: the function registry and the event's applicationArn. */
    functions?: FunctionInvoker;
    applicationArn?: string;
    logger: Logger;
    sleep: (ms: number) => Promise<void>;
    /** Called after records of an output were written. */
    onWritten?: (outputId: string, streamName: string, count: number) => void;
  }) {
    this.#gateway = deps.gateway;
    this.#functions = deps.functions;
    this.#applicationArn = deps.applicationArn ?? '';
    this.#log = deps.logger;
    this.#sleep = deps.sleep;
    this.#onWritten = deps.onWritten ?? (() => undefined);
    this.#destinations = deps.outputs.flatMap(({ id, output }) => {
      const arn = (output.KinesisStreamsOutput ?? output.KinesisFirehoseOutput ?? output.LambdaOutput)
        ?.ResourceARN;
      if (arn === undefined) return [];
      return [
        {
          outputId: id,
          streamName: output.Name,
          streamArn: arn,
          lambda: output.LambdaOutput !== undefined,
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
        const failed = destination.lambda
          ? await this.#invoke(destination, batch, attempt)
          : await this.#gateway.putRecords(
              destination.streamArn,
              batch.map((data) => ({ data, partitionKey: randomBytes(8).toString('hex') })),
            );
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

  /** One delivery invocation; resolves with the indexes to retry, throws when the invocation failed. */
  async #invoke(destination: Destination, batch: readonly Buffer[], attempt: number): Promise<number[]> {
    if (this.#functions === undefined) throw new Error('no function registry');
    const invocationId = randomUUID();
    const recordIds = batch.map((_, index) => `${invocationId}-${index}`);
    const result = await this.#functions.invoke(
      destination.streamArn,
      {
        invocationId,
        applicationArn: this.#applicationArn,
        records: batch.map((data, index) => ({
          recordId: recordIds[index],
          lambdaDeliveryRecordMetadata: { retryHint: attempt },
          data: data.toString('base64'),
        })),
      },
      invocationId,
    );
    if (!result.ok) throw new Error(`${result.failure.kind}: ${result.failure.message}`);
    const answers = (result.payload as { records?: unknown } | null)?.records;
    if (!Array.isArray(answers))
      throw new Error('the function response is not a JSON object with a records array');
    const delivered = new Set<string>();
    for (const answer of answers as unknown[]) {
      const { recordId, result: outcome } = (answer ?? {}) as { recordId?: unknown; result?: unknown };
      if (typeof recordId === 'string' && outcome === 'Ok') delivered.add(recordId);
    }
    return recordIds.flatMap((recordId, index) => (delivered.has(recordId) ? [] : [index]));
  }

  stop(): void {
    this.#stopped = true;
  }
}
