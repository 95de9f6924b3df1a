/**
 * How long one flush cycle's durable writes take on this disk, done two ways: one O_DSYNC append
 * per shard file, all in parallel (what the segment log does under `--fsync always`), against one
 * O_DSYNC append of the same bytes to a single file (what a shared write-ahead file would do).
 * Backs the PutRecord analysis in docs/benchmarks.md; not part of `npm run bench`.
 *
 *   node dist/bench/durable-write-latency.js [--files 4] [--bytes 600] [--rounds 1500] [--dir DIR]
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const usage = `Usage: node dist/bench/durable-write-latency.js [options]

Times rounds of O_DSYNC appends: --files parallel files of --bytes each per round, then one file
taking all of a round's bytes in one write. Prints the mean milliseconds per round of each.

Options:
  --files N    files written in parallel per round (default 4, as 4 shards)
  --bytes N    bytes appended to each file per round (default 600: a few PutRecord frames)
  --rounds N   rounds per way (default 1500)
  --dir DIR    where to make the temporary directory (default the system's temporary directory)
  -h, --help   this text
`;

async function meanRoundMs(directory: string, files: number, bytes: number, rounds: number): Promise<number> {
  const handles: FileHandle[] = [];
  try {
    for (let index = 0; index < files; index++) {
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_DSYNC;
      handles.push(await open(path.join(directory, `${files}-${index}`), flags));
    }
    const buffer = Buffer.alloc(bytes, 0x61);
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      await Promise.all(handles.map((handle) => handle.write(buffer, 0, bytes, round * bytes)));
    }
    return (performance.now() - started) / rounds;
  } finally {
    await Promise.all(handles.map((handle) => handle.close()));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      files: { type: 'string', default: '4' },
      bytes: { type: 'string', default: '600' },
      rounds: { type: 'string', default: '1500' },
      dir: { type: 'string', default: os.tmpdir() },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  const files = Number(values.files);
  const bytes = Number(values.bytes);
  const rounds = Number(values.rounds);
  for (const [name, value] of [
    ['--files', files],
    ['--bytes', bytes],
    ['--rounds', rounds],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  }
  const directory = await mkdtemp(path.join(values.dir, 'tributary-dsync-'));
  try {
    const parallel = await meanRoundMs(directory, files, bytes, rounds);
    const single = await meanRoundMs(directory, 1, bytes * files, rounds);
    process.stdout.write(
      `${files} files × ${bytes} B in parallel: ${parallel.toFixed(3)} ms per round\n` +
        `1 file × ${files * bytes} B:            ${single.toFixed(3)} ms per round\n`,
    );
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
