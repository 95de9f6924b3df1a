/**
 * Runs a bound application: in-application streams, pumps compiled into operator chains, the
 * error stream. Input rows enter with `push`; time moves with `advance` (a rowtime bound: every
 * input row implies one, and a caller driven by a clock calls it when input is quiet, so windows
 * close on time). Every row a pump inserts is reported to `onRow`, error_stream rows included.
 *
 * Invariants: ROWTIME is non-decreasing per stream (a late row goes to error_stream instead); a
 * stream's bound is the lowest of its writers' bounds; processing is synchronous and
 * depth-first, so emission order is deterministic.
 */
import type { ApplicationPlan, PumpPlan, StreamColumn } from '../plan/bind-application.js';
import type { Row } from '../plan/bound-expression.js';
import { sqlType, types } from '../plan/sql-type.js';
import { SqlRuntimeError } from '../functions/sql-runtime-error.js';
import { compilePlan } from './compile-plan.js';
import { quiet, type Downstream } from './downstream.js';

export const errorStreamName = 'error_stream';

export const errorStreamColumns: readonly StreamColumn[] = [
  { name: 'ERROR_TIME', type: types.timestamp, notNull: false },
  { name: 'ERROR_LEVEL', type: sqlType('VARCHAR', 10), notNull: false },
  { name: 'ERROR_NAME', type: sqlType('VARCHAR', 32), notNull: false },
  { name: 'MESSAGE', type: sqlType('VARCHAR', 4096), notNull: false },
  { name: 'DATA_ROWTIME', type: types.timestamp, notNull: false },
  { name: 'DATA_ROW', type: sqlType('VARCHAR', 49152), notNull: false },
  { name: 'PUMP_NAME', type: sqlType('VARCHAR', 128), notNull: false },
];

/** Processing time shared by the binder (CURRENT_TIMESTAMP) and the engine: the latest bound. */
export class ProcessingClock {
  current = 0;
  readonly now = (): number => this.current;
}

export type RowListener = (stream: string, rowtime: number, row: Row) => void;

export interface EngineOptions {
  readonly tables?: ReadonlyMap<string, readonly Row[]>;
  readonly onRow: RowListener;
  readonly clock?: ProcessingClock;
}

class StreamNode {
  readonly subscribers: Downstream[] = [];
  readonly writerBounds: number[] = [];
  last = -Infinity;
  bound = -Infinity;

  constructor(
    readonly name: string,
    readonly input: boolean,
  ) {}

  writerAdvance(writer: number, bound: number): void {
    const bounds = this.writerBounds;
    if (bound > bounds[writer]!) bounds[writer] = bound;
    let low = bounds[0]!;
    for (let i = 1; i < bounds.length; i++) if (bounds[i]! < low) low = bounds[i]!;
    if (low > this.bound) this.advanceSubscribers(low);
  }

  /** Whether every subscriber has declared `advance(bound)` a no-op (see Downstream.quietBelow). */
  quietAt(bound: number): boolean {
    const subscribers = this.subscribers;
    for (let i = 0; i < subscribers.length; i++) if (!quiet(subscribers[i]!, bound)) return false;
    return true;
  }

  advanceSubscribers(bound: number): void {
    this.bound = bound;
    const subscribers = this.subscribers;
    for (let i = 0; i < subscribers.length; i++) {
      const subscriber = subscribers[i]!;
      if (!quiet(subscriber, bound)) subscriber.advance(bound);
    }
  }
}

const hex = (row: Row): string =>
  Buffer.from(
    JSON.stringify(row, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)),
    'utf8',
  ).toString('hex');

export class SqlEngine {
  readonly #streams = new Map<string, StreamNode>();
  /** Streams the engine's bound drives directly: inputs, and streams no pump writes. */
  readonly #clocked: StreamNode[] = [];
  readonly #onRow: RowListener;
  readonly #clock: ProcessingClock;
  /** Operators holding rows that only the end of the input releases (T-sort, GROUP_RANK), in pump order. */
  readonly #finishers: ((bound: number) => void)[] = [];
  #time = -Infinity;
  /** The input stream of the previous push (rows mostly come in runs of one stream). */
  #lastInput: StreamNode | null = null;
  /** The only stream the engine's bound drives, when it is an input with no other writer. */
  readonly #soleClocked: StreamNode | null;

  constructor(plan: ApplicationPlan, options: EngineOptions) {
    this.#onRow = options.onRow;
    this.#clock = options.clock ?? new ProcessingClock();
    for (const s of plan.streams.values()) {
      const node = new StreamNode(s.name, s.input);
      if (s.input) node.writerBounds.push(-Infinity);
      this.#streams.set(s.name, node);
    }
    for (const pump of plan.pumps) this.#streams.get(pump.target)!.writerBounds.push(-Infinity);
    for (const node of this.#streams.values())
      if (node.input || node.writerBounds.length === 0) this.#clocked.push(node);
    const only = this.#clocked.length === 1 ? this.#clocked[0]! : null;
    this.#soleClocked = only !== null && only.input && only.writerBounds.length === 1 ? only : null;
    const writerIndex = new Map<string, number>();
    for (const pump of plan.pumps) {
      const target = this.#streams.get(pump.target)!;
      const writer = writerIndex.get(pump.target) ?? 0;
      writerIndex.set(pump.target, writer + 1);
      const definition = plan.streams.get(pump.target)!;
      const sink = this.#insertSink(pump, target, writer, definition.columns);
      compilePlan(pump.plan, sink, {
        subscribe: (stream, downstream) => this.#streams.get(stream)!.subscribers.push(downstream),
        tableRows: (table) => options.tables?.get(table) ?? [],
        report: (error, row, rowtime) =>
          this.reportError(error.errorName, error.message, row, rowtime, pump.name),
        atEnd: (finish) => this.#finishers.push(finish),
      });
    }
  }

  /** The processing time: the highest bound seen. */
  get time(): number {
    return this.#time;
  }

  /** Inserts one input row (mapped columns, then APPROXIMATE_ARRIVAL_TIME) into an input stream. */
  push(stream: string, rowtime: number, row: Row): void {
    let node = this.#lastInput;
    if (node === null || node.name !== stream) {
      const found = this.#streams.get(stream);
      if (found === undefined || !found.input) throw new Error(`no input stream ${stream}`);
      node = this.#lastInput = found;
    }
    if (rowtime < this.#time) {
      this.#late(row, rowtime);
      return;
    }
    if (rowtime > this.#time) {
      // The common case of one input stream whose subscribers all wait for a later bound: the
      // bound is recorded without calling anyone (what advance would do, less the no-op calls).
      if (node === this.#soleClocked && node.quietAt(rowtime)) {
        this.#time = rowtime;
        this.#clock.current = rowtime;
        node.writerBounds[0] = rowtime;
        node.bound = rowtime;
      } else this.advance(rowtime);
    }
    node.last = rowtime;
    const subscribers = node.subscribers;
    for (let i = 0; i < subscribers.length; i++) subscribers[i]!.push(row, rowtime);
  }

  /** A row earlier than the rowtime bound goes to error_stream. */
  #late(row: Row, rowtime: number): void {
    this.reportError(
      'OutOfOrderRow',
      `Input row at ${new Date(rowtime).toISOString()} is earlier than the rowtime bound ${new Date(this.#time).toISOString()}`,
      row,
      rowtime,
      null,
    );
  }

  /** A rowtime bound: no later input row is earlier than `bound`. Closes windows ending at or before it. */
  advance(bound: number): void {
    if (bound <= this.#time) return;
    this.#time = bound;
    this.#clock.current = bound;
    const clocked = this.#clocked;
    for (let i = 0; i < clocked.length; i++) {
      const node = clocked[i]!;
      if (node.input) node.writerAdvance(0, bound);
      else if (bound > node.bound) node.advanceSubscribers(bound);
    }
  }

  /**
   * The end of the input (the offline runner's `{"end": T}`): advances to `bound`, then lets the
   * operators that wait for rows that will never come (T-sort, GROUP_RANK) release what they hold.
   */
  end(bound: number): void {
    this.advance(bound);
    for (const finish of this.#finishers) finish(Math.max(bound, this.#time));
  }

  /** A row that failed (input mapping, conversion, division by zero, ...) becomes an error_stream row. */
  reportError(name: string, message: string, row: Row | string, rowtime: number, pump: string | null): void {
    const time = Number.isFinite(this.#time) ? Math.max(this.#time, rowtime) : rowtime;
    const data = typeof row === 'string' ? Buffer.from(row, 'utf8').toString('hex') : hex(row);
    this.#onRow(errorStreamName, time, [
      time,
      'ERROR',
      name.slice(0, 32),
      message.slice(0, 4096),
      rowtime,
      data.slice(0, 49152),
      pump,
    ]);
  }

  #insertSink(
    pump: PumpPlan,
    target: StreamNode,
    writer: number,
    columns: readonly StreamColumn[],
  ): Downstream {
    const { sourceOfColumn, converters } = pump;
    const width = columns.length;
    return {
      push: (row, rowtime) => {
        const out = new Array<unknown>(width);
        try {
          for (let i = 0; i < width; i++) {
            const source = sourceOfColumn[i]!;
            const value = source < 0 ? null : converters[i]!(row[source] ?? null);
            if (value === null && columns[i]!.notNull)
              throw new SqlRuntimeError(
                'NotNullViolation',
                `Column '${columns[i]!.name}' of stream '${target.name}' is NOT NULL`,
              );
            out[i] = value;
          }
        } catch (error) {
          if (!(error instanceof SqlRuntimeError)) throw error;
          this.reportError(error.errorName, error.message, row, rowtime, pump.name);
          return;
        }
        if (rowtime < target.last) {
          this.reportError(
            'OutOfOrderRow',
            `Row at ${new Date(rowtime).toISOString()} is earlier than the last row of stream '${target.name}'`,
            out,
            rowtime,
            pump.name,
          );
          return;
        }
        target.last = rowtime;
        this.#onRow(target.name, rowtime, out);
        for (const s of target.subscribers) s.push(out, rowtime);
      },
      advance: (bound) => target.writerAdvance(writer, bound),
    };
  }
}
