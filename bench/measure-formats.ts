/**
 * `npm run bench -- --formats-only`: the Firehose format figures, in process on one core.
 *
 * - **GZIP delivery vs raw zlib**: the same buffer of JSON records (5 MiB, Firehose's default
 *   buffer) compressed by `compressObject('GZIP')` and written as an object file under a bucket
 *   directory (write + fsync, as the embedded S3 destination stores it), against `zlib.gzipSync`
 *   alone at the same (default) level; both in MB per second of CPU time ("on one core": the
 *   machine is shared, so wall time measures the neighbours), the ratio is throughput over
 *   throughput (target ≥ 0.8). The wall-time rate with the fsync is shown too.
 * - **JSON → Parquet**: `convertToParquet` with ParquetSerDe's defaults (SNAPPY, dictionary, V1)
 *   and the OpenX deserializer, on records of a typical ten-column schema; rows per second of
 *   CPU time on the one thread it runs on (target ≥ 150,000).
 *
 * Each figure is the median of `repetitions` runs; every loop is bounded.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { systemClock } from '../src/core/clock.js';
import { compressObject } from '../src/firehose/compression/compress-object.js';
import {
  conversionOptions,
  convertToParquet,
  glueColumnsToHive,
} from '../src/firehose/formats/convert-to-parquet.js';

export interface FormatsFigures {
  /** Per second of CPU time, as both GZIP figures are. */
  readonly gzipDeliveryMBps: number;
  /** Per second of wall time, fsync included (for reference; the machine is shared). */
  readonly gzipDeliveryWallMBps: number;
  readonly rawZlibMBps: number;
  readonly gzipRatio: number;
  readonly parquetRowsPerCoreSecond: number;
  readonly parquetRows: number;
  readonly parquetObjectBytes: number;
  readonly inputBytes: number;
}

const BUFFER_BYTES = 5 * 1024 * 1024;
const PARQUET_ROWS = 200_000;

const SCHEMA = glueColumnsToHive([
  { Name: 'ticker_symbol', Type: 'string' },
  { Name: 'sector', Type: 'string' },
  { Name: 'change', Type: 'double' },
  { Name: 'price', Type: 'decimal(10,2)' },
  { Name: 'volume', Type: 'bigint' },
  { Name: 'exchange_id', Type: 'int' },
  { Name: 'active', Type: 'boolean' },
  { Name: 'event_time', Type: 'timestamp' },
  { Name: 'trade_date', Type: 'date' },
  { Name: 'note', Type: 'string' },
]);

const SECTORS = ['HEALTHCARE', 'ENERGY', 'FINANCIAL', 'TECHNOLOGY', 'RETAIL'];

function sampleRecords(count: number): Buffer[] {
  const records: Buffer[] = [];
  for (let index = 0; index < count; index++) {
    const record = {
      ticker_symbol: `T${(index * 7919) % 500}`,
      sector: SECTORS[index % SECTORS.length],
      change: ((index % 200) - 100) / 10,
      price: ((index * 37) % 100_000) / 100,
      volume: index * 13,
      exchange_id: index % 12,
      active: index % 3 !== 0,
      event_time: `2026-12-07T13:${String(index % 60).padStart(2, '0')}:${String((index * 7) % 60).padStart(2, '0')}.${String(index % 1000).padStart(3, '0')}Z`,
      trade_date: '2026-12-07',
      note: index % 5 === 0 ? null : `order ${index} filled at venue ${index % 37}`,
    };
    records.push(Buffer.from(`${JSON.stringify(record)}\n`));
  }
  return records;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function cpuSeconds(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

export async function measureFormats(
  repetitions: number,
  log: (line: string) => void,
): Promise<FormatsFigures> {
  const records = sampleRecords(Math.ceil(BUFFER_BYTES / 200));
  const buffer = Buffer.concat(records).subarray(0, BUFFER_BYTES);
  const bucket = await mkdtemp(path.join(os.tmpdir(), 'tributary-bench-bucket-'));
  const delivery: number[] = [];
  const raw: number[] = [];
  const deliveryWall: number[] = [];
  const megabytes = buffer.length / 1e6;
  try {
    gzipSync(buffer); // warm-up
    for (let repetition = 0; repetition < repetitions; repetition++) {
      log(`formats: gzip repetition ${repetition + 1}/${repetitions}`);
      raw.push(megabytes / cpuSeconds(() => gzipSync(buffer)));

      const cpuStart = process.cpuUsage();
      const started = performance.now();
      const object = compressObject('GZIP', buffer, systemClock);
      const file = await open(path.join(bucket, `object-${repetition}${object.extension}`), 'w');
      try {
        await file.writeFile(object.body);
        await file.sync();
      } finally {
        await file.close();
      }
      const cpu = process.cpuUsage(cpuStart);
      delivery.push(megabytes / ((cpu.user + cpu.system) / 1e6));
      deliveryWall.push(megabytes / ((performance.now() - started) / 1000));
    }
  } finally {
    await rm(bucket, { recursive: true, force: true });
  }

  const parquetRecords = sampleRecords(PARQUET_ROWS);
  const options = conversionOptions(
    { Deserializer: { OpenXJsonSerDe: {} } },
    { Serializer: { ParquetSerDe: {} } },
  );
  const rates: number[] = [];
  let objectBytes = 0;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    log(`formats: parquet repetition ${repetition + 1}/${repetitions}`);
    const seconds = cpuSeconds(() => {
      const result = convertToParquet(parquetRecords, SCHEMA, options);
      if (result.failures.length > 0 || result.body === undefined)
        throw new Error('bench records failed to convert');
      objectBytes = result.body.length;
    });
    rates.push(PARQUET_ROWS / seconds);
  }
  const gzipDeliveryMBps = median(delivery);
  const rawZlibMBps = median(raw);
  return {
    gzipDeliveryWallMBps: median(deliveryWall),
    gzipDeliveryMBps,
    rawZlibMBps,
    gzipRatio: gzipDeliveryMBps / rawZlibMBps,
    parquetRowsPerCoreSecond: median(rates),
    parquetRows: PARQUET_ROWS,
    parquetObjectBytes: objectBytes,
    inputBytes: parquetRecords.reduce((sum, record) => sum + record.length, 0),
  };
}

export function renderFormatsTable(figures: FormatsFigures): string {
  const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  return [
    '| figure | Tributary | target | result |',
    '|---|---|---|---|',
    `| GZIP delivery (compressObject + object file + fsync, 5 MiB JSON), per CPU second | ${figures.gzipDeliveryMBps.toFixed(1)} MB/s | | |`,
    `| raw zlib gzipSync, same data and level, per CPU second | ${figures.rawZlibMBps.toFixed(1)} MB/s | | |`,
    `| GZIP delivery / raw zlib | ${figures.gzipRatio.toFixed(2)}× | ≥ 0.8× | ${pass(figures.gzipRatio >= 0.8)} |`,
    `| JSON → Parquet (${figures.parquetRows.toLocaleString('en-US')} rows, 10 columns, SNAPPY, dictionary) | ${Math.round(figures.parquetRowsPerCoreSecond).toLocaleString('en-US')} rows/s per core | ≥ 150,000 | ${pass(figures.parquetRowsPerCoreSecond >= 150_000)} |`,
    '',
    `GZIP delivery in wall time (fsync included): ${figures.gzipDeliveryWallMBps.toFixed(1)} MB/s. Parquet object: ${(figures.parquetObjectBytes / 1e6).toFixed(1)} MB from ${(figures.inputBytes / 1e6).toFixed(1)} MB of JSON.`,
  ].join('\n');
}
