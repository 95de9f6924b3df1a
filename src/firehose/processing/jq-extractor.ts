/**
 * MetadataExtraction with a real jq 1.6 (the Debian `jq` binary, JsonParsingEngine `JQ-1.6`): one
 * long-running `jq` process per query, fed one record per line and answering one line per
 * record, so a buffer costs one round trip and no process start per record.
 *
 * Each record is written as a JSON string literal (so records holding newlines or invalid JSON
 * cannot break the line protocol) and parsed inside jq with `fromjson`; the program wraps the
 * user's query in `try … catch`, so a bad record gives an error line for that record only.
 * Every output of the query is collected (`[query]`): a valid result is exactly one object.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { assert } from '../../core/assert.js';

/** The jq program run for a query: one output line per input line, never an exit. */
const wrap = (query: string): string =>
  `. as $raw | try ({ok: [$raw | fromjson | (\n${query}\n)]}) catch {error: (. | tostring)}`;

export type JqOutcome = { readonly ok: readonly unknown[] } | { readonly error: string };

/** Undefined when `query` compiles with jq 1.6; else jq's message. */
export function checkJqQuery(query: string): string | undefined {
  const result = spawnSync('jq', ['-n', `empty | (\n${query}\n)`], { encoding: 'utf8', timeout: 10_000 });
  if (result.error !== undefined) throw result.error;
  if (result.status === 0) return undefined;
  return result.stderr.trim().split('\n')[0] ?? 'jq refused the query';
}

interface Pending {
  readonly resolve: (outcome: JqOutcome) => void;
  readonly reject: (error: Error) => void;
}

/** One query's jq process; started on first use, restarted after it dies. */
export class JqExtractor {
  readonly #query: string;
  #process: ChildProcessWithoutNullStreams | undefined;
  readonly #pending: Pending[] = [];
  #stderr = '';

  constructor(query: string) {
    this.#query = query;
  }

  get query(): string {
    return this.#query;
  }

  /** Runs the query over each text, in order. Rejects only if jq itself fails. */
  run(texts: readonly string[]): Promise<JqOutcome[]> {
    const process = this.#start();
    const outcomes = texts.map(
      (text) =>
        new Promise<JqOutcome>((resolve, reject) => {
          this.#pending.push({ resolve, reject });
          process.stdin.write(JSON.stringify(text) + '\n');
        }),
    );
    return Promise.all(outcomes);
  }

  #start(): ChildProcessWithoutNullStreams {
    if (this.#process !== undefined) return this.#process;
    const child = spawn('jq', ['-c', '--unbuffered', wrap(this.#query)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#process = child;
    this.#stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-2000);
    });
    // A write after jq died surfaces through 'exit'/'error' below.
    child.stdin.on('error', () => undefined);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const pending = this.#pending.shift();
      assert(pending !== undefined, 'jq answered a line nobody asked for');
      pending.resolve(JSON.parse(line) as JqOutcome);
    });
    const fail = (error: Error): void => {
      if (this.#process === child) this.#process = undefined;
      for (const pending of this.#pending.splice(0)) pending.reject(error);
    };
    child.on('error', fail);
    child.on('exit', (code, signal) =>
      fail(new Error(`jq exited (${signal ?? code}): ${this.#stderr.trim() || 'no message'}`)),
    );
    return child;
  }

  close(): void {
    const child = this.#process;
    this.#process = undefined;
    if (child !== undefined) child.kill();
  }
}
