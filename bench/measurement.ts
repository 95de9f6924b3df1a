/** One measured value with the CPU picture behind it, or the reason there is none. */
export interface Measurement {
  readonly value: number;
  /** Server and load-generator CPU during the measurement, in cores; null where not measured. */
  readonly serverCores: number | null;
  /** The server's main thread alone (Node's JavaScript thread); null where not measured. */
  readonly serverMainThreadCores?: number | null;
  /** Every other process on the machine over the same window; null where not measured. */
  readonly otherCores?: number | null;
  readonly clientCores: number | null;
  readonly note: string;
}

export interface Unavailable {
  readonly error: string;
}

export type Cell = Measurement | Unavailable;

export function isMeasurement(cell: Cell | undefined): cell is Measurement {
  return cell !== undefined && 'value' in cell;
}

export function unavailable(error: unknown): Unavailable {
  const message = error instanceof Error ? error.message : String(error);
  return { error: message.replace(/\s+/g, ' ').slice(0, 160) };
}

/** The median cell by value; unavailable only when no repetition produced a value. */
export function medianCell(cells: readonly Cell[]): Cell {
  const measured = cells.filter(isMeasurement).sort((a, b) => a.value - b.value);
  const median = measured[Math.floor((measured.length - 1) / 2)];
  return median ?? cells[0] ?? { error: 'not run' };
}
