/**
 * One running application: a loop that reads its input stream, maps records to rows of the input
 * in-application streams (adding ROWTIME and APPROXIMATE_ARRIVAL_TIME; records that cannot be
 * mapped go to `error_stream`), pushes them to the engine, advances the engine's time, delivers
 * what the engine emitted, and only then checkpoints. A pass reads at most one batch per shard;
 * the next pass follows at once while shards have more, else after `pollIntervalMs`.
 *
 * Reference data is loaded before the engine is built; while it cannot be loaded (a missing
 * object: AWS logs a configuration error and the application, RUNNING, processes nothing) every
 * pass tries again and reads no input. Rows of tapped streams (live results) go to `taps`.
 *
 * The checkpoint stored is the replay point (runner/replay-span.ts, input-replay.ts): it stays
 * before every record whose rows may still sit in an open window (tumbling, stagger, sliding,
 * join, ORDER BY … WITHIN), so that a start after a stop, an update or a crash reads those
 * records again and the windows the lost state held count them (at least once, as AWS).
 *
 * Invariants: ROWTIME never decreases; the checkpoint never passes a record whose rows were not
 * delivered or may still be held in operator state (at-least-once); `stop` returns after the last
 * pass ended and its checkpoint was saved.
 */
import type { Clock } from '../../core/clock.js';
import { limits } from '../../core/limits.js';
import {
  applicationArn,
  inAppStreamNames,
  type ApplicationRecord,
  type StoredInput,
} from '../api/application-model.js';
import { parseColumnType } from '../records/column-type.js';
import { createRecordMapper, type RecordMapper } from '../records/record-mapper.js';
import type { StreamColumn } from '../records/sql-value.js';
import type {
  ApplicationEngine,
  ApplicationEngineFactory,
  InAppStream,
  ReferenceTableRows,
  Row,
} from './application-engine.js';
import type { OneApplicationMetrics } from './application-metrics.js';
import { checkpointKey, type CheckpointStore, type InputCheckpoint } from './checkpoint-store.js';
import { errorStreamColumns, errorStreamName, mappingErrorRow } from './error-stream.js';
import { preprocess, processingFailedErrorName, type FunctionInvoker } from './input-preprocessor.js';
import { InputReader } from './input-reader.js';
import type { LiveTaps } from './live-taps.js';
import { OutputWriter, type Logger } from './output-writer.js';
import { loadReferenceTables, type ReferenceObjects } from './reference-data.js';
import { InputReplay } from './input-replay.js';
import { replaySpan, type ReplaySpan } from './replay-span.js';
import type { GatewayRecord, StreamGateway } from './stream-gateway.js';
import { bindForInputs } from './bind-for-inputs.js';
import { ProcessingClock } from '../exec/sql-engine.js';

/** How long a stop waits for the pass in progress to deliver its rows. */
const stopGraceMs = 5_000;

export interface RunnerOptions {
  readonly pollIntervalMs: number;
  readonly recordsPerReadMax: number;
}

export interface RunnerDependencies {
  readonly gateway: StreamGateway;
  readonly checkpoints: CheckpointStore;
  readonly clock: Clock;
  readonly engineFactory: ApplicationEngineFactory;
  readonly logger: Logger;
  readonly options: RunnerOptions;
  readonly references: ReferenceObjects;
  readonly taps: LiveTaps;
  /** Resolves the functions of InputLambdaProcessor (the server's function registry). */
  readonly functions: FunctionInvoker;
}

interface RunningInput {
  readonly stored: StoredInput;
  readonly key: string;
  reader: InputReader;
  /** The read position after the last successful pass: where reading restarts after a failed pass. */
  saved: InputCheckpoint;
  /** The checkpoint last stored (the replay point). */
  persisted: InputCheckpoint;
  /** Batches pushed since the replay point, per shard. */
  readonly replay: InputReplay;
  readonly mapper: RecordMapper;
  readonly streamNames: readonly string[];
  readonly columns: readonly StreamColumn[];
}

export class ApplicationRunner {
  readonly #key: string;
  readonly #deps: RunnerDependencies;
  readonly #record: ApplicationRecord;
  readonly #metrics: OneApplicationMetrics;
  /** Built once the reference data is loaded. */
  #engine: ApplicationEngine | undefined;
  /** From the engine's plan: how far back a restart must read again. */
  #replaySpan: ReplaySpan = { heldFromMs: () => Number.POSITIVE_INFINITY, recordsKept: 0 };
  readonly #outputs: OutputWriter;
  readonly #inputs: RunningInput[];
  #lastRowtimeMs = 0;
  #stopped = false;
  #pass: Promise<void> = Promise.resolve();
  #cancelTimer: (() => void) | undefined;
  #lastErrorLogMs = -Infinity;
  /** Passes failed in a row (a preprocessing function that keeps failing): the back-off's exponent. */
  #failedPasses = 0;
  /** Counters for tests and metrics. */
  readonly stats = { recordsIn: 0, rowsIn: 0, errors: 0 };

  private constructor(
    key: string,
    deps: RunnerDependencies,
    record: ApplicationRecord,
    metrics: OneApplicationMetrics,
    outputs: OutputWriter,
    inputs: RunningInput[],
  ) {
    this.#key = key;
    this.#deps = deps;
    this.#record = record;
    this.#metrics = metrics;
    this.#outputs = outputs;
    this.#inputs = inputs;
  }

  /** Builds the engine and the readers (from checkpoints when resuming) and starts the loop. */
  static async start(
    key: string,
    record: ApplicationRecord,
    deps: RunnerDependencies,
    resume: boolean,
    metrics: OneApplicationMetrics,
  ): Promise<ApplicationRunner> {
    const outputs = new OutputWriter({
      gateway: deps.gateway,
      outputs: record.outputs,
      functions: deps.functions,
      applicationArn: applicationArn(record.region, record.accountId, record.name),
      logger: deps.logger,
      sleep: (ms) => new Promise((resolve) => deps.clock.schedule(ms, () => resolve())),
      onWritten: (outputId, streamName, count) => metrics.outputRecords(outputId, streamName).inc(count),
    });
    for (const { id, output } of record.outputs) metrics.outputRecords(id, output.Name);
    const inputs: RunningInput[] = [];
    for (const stored of record.inputs) {
      const streamArn = (stored.input.KinesisStreamsInput ?? stored.input.KinesisFirehoseInput)?.ResourceARN;
      if (streamArn === undefined) throw new Error(`input ${stored.id} reads no stream`);
      const inputKey = checkpointKey(key, stored.id);
      const checkpoint = await initialCheckpoint(deps, inputKey, streamArn, stored, resume);
      await deps.checkpoints.save(inputKey, checkpoint);
      const columns = inputColumns(stored);
      const streamNames = inAppStreamNames(stored.input);
      metrics.millisBehindLatest(stored.id);
      metrics.inputRecords(stored.id);
      if (stored.input.InputProcessingConfiguration !== undefined) metrics.inputProcessing(stored.id);
      for (const name of streamNames) metrics.streamRows(name);
      inputs.push({
        stored,
        key: inputKey,
        reader: new InputReader(deps.gateway, checkpoint, deps.options.recordsPerReadMax),
        saved: checkpoint,
        persisted: checkpoint,
        replay: new InputReplay(checkpoint),
        mapper: createRecordMapper(stored.input.InputSchema),
        streamNames,
        columns,
      });
    }
    const runner = new ApplicationRunner(key, deps, record, metrics, outputs, inputs);
    // Bad code fails the start here; a reference object that cannot be read yet is retried.
    if (record.references.length === 0) runner.#engine = runner.#buildEngine([]);
    else await runner.#loadReferences();
    runner.#schedule(0);
    return runner;
  }

  #buildEngine(tables: readonly ReferenceTableRows[]): ApplicationEngine {
    const key = this.#key;
    const { taps } = this.#deps;
    const inAppStreams: InAppStream[] = this.#inputs.flatMap((input) =>
      input.streamNames.map((name) => ({ name, columns: input.columns })),
    );
    const engine = this.#deps.engineFactory({
      code: this.#record.code ?? '',
      inputs: inAppStreams,
      outputStreams: this.#outputs.streamNames,
      tables,
      onOutput: (streamName, columns, rows) => {
        if (streamName === errorStreamName) this.#metrics.errorRows.inc(rows.length);
        this.#outputs.enqueue(streamName, columns, rows);
      },
      tap: {
        wants: (streamName) => taps.wants(key, streamName),
        rows: (streamName, columns, rows) => taps.publish(key, streamName, columns, rows),
      },
    });
    // The engine accepted the code, so it binds here too.
    this.#replaySpan = replaySpan(
      bindForInputs(this.#record.code ?? '', inAppStreams, new ProcessingClock(), tables),
    );
    return engine;
  }

  /** Loads the reference tables and builds the engine; false (logged) while an object cannot be read. */
  async #loadReferences(): Promise<boolean> {
    let loaded;
    try {
      loaded = await loadReferenceTables(this.#deps.references, this.#record.references);
    } catch (error) {
      this.#report('application reference data cannot be loaded; retrying', error);
      return false;
    }
    if (loaded.skippedRows > 0) {
      this.#deps.logger('reference data rows that do not match the reference schema were left out', {
        application: this.#key,
        rows: loaded.skippedRows,
      });
    }
    this.#engine = this.#buildEngine(loaded.tables);
    return true;
  }

  get outputsWritten(): ReadonlyMap<string, number> {
    return this.#outputs.written;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#cancelTimer = this.#deps.clock.schedule(delayMs, () => {
      this.#cancelTimer = undefined;
      this.#pass = this.#runPass().then(
        (more) => {
          this.#failedPasses = 0;
          this.#schedule(more ? 0 : this.#deps.options.pollIntervalMs);
        },
        (error: unknown) => {
          this.#failedPasses++;
          this.#report('application pass failed', error);
          // What the failed pass read was not delivered: read it again (at least once).
          for (const input of this.#inputs) {
            input.reader = new InputReader(
              this.#deps.gateway,
              input.saved,
              this.#deps.options.recordsPerReadMax,
            );
          }
          this.#schedule(retryDelayMs(this.#deps.options.pollIntervalMs, this.#failedPasses));
        },
      );
    });
  }

  /** One pass; true when some shard returned a full batch (there is more to read at once). */
  async #runPass(): Promise<boolean> {
    if (this.#engine === undefined && !(await this.#loadReferences())) return false;
    const engine = this.#engine as ApplicationEngine;
    let more = false;
    for (const input of this.#inputs) {
      if (this.#stopped) break;
      let polled;
      try {
        polled = await input.reader.poll();
      } catch (error) {
        this.#report('application input cannot be read', error);
        continue;
      }
      for (const error of polled.errors) this.#report('application input shard cannot be read', error);
      this.#metrics.millisBehindLatest(input.stored.id).set(input.reader.millisBehindLatest);
      // Every batch is preprocessed before any row reaches the engine: a failed invocation fails
      // the pass with nothing pushed, and the batches are read again from the checkpoint.
      const processed: { records: readonly GatewayRecord[]; failed: readonly GatewayRecord[] }[] = [];
      for (const batch of polled.batches) {
        if (batch.records.length >= this.#deps.options.recordsPerReadMax) more = true;
        processed.push(await this.#preprocess(input, batch.shardId, batch.records));
      }
      polled.batches.forEach((batch, index) => {
        const { records, failed } = processed[index] as (typeof processed)[number];
        this.#process(engine, input, batch.shardId, records, batch.records.length, failed);
        const last = batch.records[batch.records.length - 1];
        // The latest ROWTIME the batch's rows got: the batch leaves every window after it.
        if (last !== undefined)
          input.replay.add(batch.shardId, this.#lastRowtimeMs, batch.records.length, last.sequenceNumber);
      });
    }
    const boundMs = this.#rowtime();
    engine.advanceTime(boundMs);
    if (!(await this.#outputs.flush())) return false;
    const heldFromMs = this.#replaySpan.heldFromMs(boundMs);
    for (const input of this.#inputs) {
      const read = input.reader.checkpoint();
      const checkpoint = input.replay.checkpoint(read, heldFromMs, this.#replaySpan.recordsKept);
      // An idle pass that frees no window changes nothing: no catalog write (each one is an fsync).
      if (JSON.stringify(checkpoint) !== JSON.stringify(input.persisted)) {
        await this.#deps.checkpoints.save(input.key, checkpoint);
        input.persisted = checkpoint;
      }
      input.saved = read;
    }
    return more;
  }

  /** The records of a batch after the input's preprocessing function, if it has one. */
  async #preprocess(
    input: RunningInput,
    shardId: string,
    records: readonly GatewayRecord[],
  ): Promise<{ records: readonly GatewayRecord[]; failed: readonly GatewayRecord[] }> {
    const processor = input.stored.input.InputProcessingConfiguration?.InputLambdaProcessor;
    if (processor === undefined) return { records, failed: [] };
    const firehose = input.stored.input.KinesisFirehoseInput;
    const streamArn = (firehose ?? input.stored.input.KinesisStreamsInput)?.ResourceARN ?? '';
    if (records.length === 0) return { records, failed: [] };
    const metrics = this.#metrics.inputProcessing(input.stored.id);
    const startedMs = this.#deps.clock.nowMs();
    let outcome;
    try {
      outcome = await preprocess(
        records,
        {
          functionArn: processor.ResourceARN,
          applicationArn: applicationArn(this.#record.region, this.#record.accountId, this.#record.name),
          streamArn,
          firehose: firehose !== undefined,
          shardId,
        },
        this.#deps.functions,
      );
    } catch (error) {
      metrics.failedInvocations.inc();
      throw error;
    } finally {
      metrics.duration.observe((this.#deps.clock.nowMs() - startedMs) / 1000);
    }
    metrics.success.inc();
    metrics.okRecords.inc(outcome.kept.length);
    metrics.okBytes.inc(outcome.kept.reduce((sum, record) => sum + record.data.length, 0));
    metrics.processingFailedRecords.inc(outcome.failed.length);
    metrics.droppedRecords.inc(records.length - outcome.kept.length - outcome.failed.length);
    return { records: outcome.kept, failed: outcome.failed };
  }

  #process(
    engine: ApplicationEngine,
    input: RunningInput,
    shardId: string,
    records: readonly GatewayRecord[],
    recordsRead: number,
    preprocessingFailed: readonly GatewayRecord[],
  ): void {
    const streamName = input.streamNames[shardNumber(shardId) % input.streamNames.length] as string;
    const rows: Row[] = [];
    const errors: Row[] = [];
    this.stats.recordsIn += recordsRead;
    for (const record of preprocessingFailed) {
      this.stats.errors++;
      errors.push(
        mappingErrorRow(
          this.#rowtime(),
          processingFailedErrorName,
          'The preprocessing function marked the record ProcessingFailed.',
          record.data,
        ),
      );
    }
    for (const record of records) {
      const rowtimeMs = this.#rowtime();
      const mapped = input.mapper(record.data);
      if (!mapped.ok) {
        this.stats.errors++;
        errors.push(mappingErrorRow(rowtimeMs, mapped.errorName, mapped.message, record.data));
        continue;
      }
      const arrival = new Date(record.arrivalMs);
      for (const values of mapped.rows) rows.push({ rowtimeMs, values: [arrival, ...values] });
    }
    this.stats.rowsIn += rows.length;
    this.#metrics.inputRecords(input.stored.id).inc(recordsRead);
    const { taps } = this.#deps;
    if (errors.length > 0) {
      this.#metrics.errorRows.inc(errors.length);
      this.#outputs.enqueue(errorStreamName, errorStreamColumns, errors);
      taps.publish(this.#key, errorStreamName, errorStreamColumns, errors);
    }
    if (rows.length > 0) {
      this.#metrics.streamRows(streamName).inc(rows.length);
      taps.publish(this.#key, streamName, input.columns, rows);
      engine.push(streamName, rows);
    }
  }

  /** Processing time, never going back. */
  #rowtime(): number {
    this.#lastRowtimeMs = Math.max(this.#lastRowtimeMs, this.#deps.clock.nowMs());
    return this.#lastRowtimeMs;
  }

  #report(message: string, error: unknown): void {
    const nowMs = this.#deps.clock.nowMs();
    if (nowMs - this.#lastErrorLogMs < 60_000) return;
    this.#lastErrorLogMs = nowMs;
    this.#deps.logger(message, { application: this.#key, error: String(error) });
  }

  /**
   * Ends the loop. The pass in progress gets `stopGraceMs` to deliver its outputs and save its
   * checkpoint (so a stop and a LAST_STOPPED_POINT start neither lose nor repeat rows); past that,
   * delivery is abandoned and the rows of that pass are produced again on the next start.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    const pass = this.#pass.catch(() => undefined);
    let cancelGrace: (() => void) | undefined;
    const grace = new Promise<void>((resolve) => {
      cancelGrace = this.#deps.clock.schedule(stopGraceMs, resolve);
    });
    await Promise.race([pass, grace]);
    cancelGrace?.();
    this.#outputs.stop();
    await pass;
    this.#engine?.close();
  }
}

/**
 * How long to wait before the pass after `failedPasses` failed ones in a row: the poll interval,
 * doubled for each further failure, at most `limits.analyticsRetryDelayMsMax`. A function that
 * keeps failing is called a few times a minute instead of every poll; the batch is retried until
 * it succeeds, as Kinesis Analytics does.
 */
export function retryDelayMs(pollIntervalMs: number, failedPasses: number): number {
  const exponent = Math.min(Math.max(failedPasses - 1, 0), 30);
  return Math.min(pollIntervalMs * 2 ** exponent, Math.max(pollIntervalMs, limits.analyticsRetryDelayMsMax));
}

/** APPROXIMATE_ARRIVAL_TIME, then the schema's columns. */
export function inputColumns(stored: StoredInput): StreamColumn[] {
  return [
    { name: 'APPROXIMATE_ARRIVAL_TIME', sqlType: 'TIMESTAMP' },
    ...stored.input.InputSchema.RecordColumns.map((column) => {
      if (parseColumnType(column.SqlType) === undefined)
        throw new Error(`unsupported column type ${column.SqlType}`);
      return { name: column.Name, sqlType: column.SqlType };
    }),
  ];
}

async function initialCheckpoint(
  deps: RunnerDependencies,
  inputKey: string,
  streamArn: string,
  stored: StoredInput,
  resume: boolean,
): Promise<InputCheckpoint> {
  const position = stored.startingPosition ?? 'NOW';
  const saved = await deps.checkpoints.load(inputKey);
  const usable = saved !== undefined && saved.streamArn === streamArn ? saved : undefined;
  if ((resume || position === 'LAST_STOPPED_POINT') && usable !== undefined) return usable;
  if (position === 'TRIM_HORIZON') return { streamArn, startAtMs: 0, shards: {} };
  return { streamArn, startAtMs: deps.clock.nowMs(), shards: {} };
}

/** `shardId-000000000007` → 7: how shards spread over `<prefix>_001` … (InputParallelism). */
function shardNumber(shardId: string): number {
  const digits = /(\d+)$/.exec(shardId)?.[1];
  return digits === undefined ? 0 : Number(digits);
}
