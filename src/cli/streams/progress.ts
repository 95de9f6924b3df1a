/**
 * Progress of long CLI work on stderr: a bar redrawn in place on a terminal (at most 10 times a
 * second), otherwise one line every few seconds, so logs of a CI job still show it moving.
 * A final line is always written by `finish`.
 */
import { write } from './command-line.js';

export interface ProgressState {
  readonly records: number;
  readonly bytes: number;
  /** 0..1 when known. */
  readonly fraction?: number;
  /** Extra words, e.g. "shards 2/5". */
  readonly detail?: string;
}

const barWidth = 24;
const terminalRedrawMs = 100;
export const progressLineIntervalMs = 2000;

export class Progress {
  readonly #stream: NodeJS.WritableStream;
  readonly #label: string;
  readonly #terminal: boolean;
  readonly #startedAtMs = Date.now();
  #state: ProgressState = { records: 0, bytes: 0 };
  #lastDrawAtMs = 0;

  constructor(stream: NodeJS.WritableStream & { readonly isTTY?: boolean }, label: string) {
    this.#stream = stream;
    this.#label = label;
    this.#terminal = stream.isTTY === true;
    this.#lastDrawAtMs = this.#terminal ? 0 : Date.now();
  }

  update(state: ProgressState): void {
    this.#state = state;
    const now = Date.now();
    const every = this.#terminal ? terminalRedrawMs : progressLineIntervalMs;
    if (now - this.#lastDrawAtMs < every) return;
    this.#lastDrawAtMs = now;
    this.#stream.write(this.#terminal ? `\r${this.#render()}\x1b[K` : `${this.#render()}\n`);
  }

  async finish(state: ProgressState, outcome: string): Promise<void> {
    this.#state = state;
    await write(
      this.#stream,
      `${this.#terminal ? '\r' : ''}${this.#render()} ${outcome}${this.#terminal ? '\x1b[K' : ''}\n`,
    );
  }

  #render(): string {
    const { records, bytes, fraction, detail } = this.#state;
    const seconds = Math.max((Date.now() - this.#startedAtMs) / 1000, 0.001);
    const parts = [this.#label];
    if (fraction !== undefined) {
      const clamped = Math.min(1, Math.max(0, fraction));
      const filled = Math.round(clamped * barWidth);
      parts.push(
        `${this.#terminal ? `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ` : ''}${Math.floor(clamped * 100)}%`,
      );
    }
    parts.push(
      `${records.toLocaleString('en-US')} records`,
      formatBytes(bytes),
      `${Math.round(records / seconds).toLocaleString('en-US')} records/s`,
    );
    if (detail !== undefined) parts.push(detail);
    parts.push(`${seconds.toFixed(1)} s`);
    return parts.join('  ');
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
