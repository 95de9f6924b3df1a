/**
 * The same-run decode ceiling: how many records per second one core can merely decode from the
 * same PutRecords bodies the generator sends (UTF-8 + JSON.parse, base64-decode each Data, MD5 each
 * PartitionKey to find its shard), with no HTTP, validation or storage. Ingest divided by this
 * shows how much of the server's time goes to everything else.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildPutRecordsBodies } from './request-bodies.js';

interface PutRecordsInput {
  Records: { Data: string; PartitionKey: string }[];
}

export function measureDecodeCeiling(recordBytes: number, batchSize: number, durationMs: number): number {
  const bodies = buildPutRecordsBodies('bench-ceiling', recordBytes, batchSize, 'json', 16);
  let records = 0;
  let checksum = 0; // used below so the work cannot be optimised away
  const started = performance.now();
  const deadline = started + durationMs;
  for (let index = 0; performance.now() < deadline; index++) {
    const body = bodies[index % bodies.length];
    if (body === undefined) throw new Error('no body');
    const input = JSON.parse(body.toString('utf8')) as PutRecordsInput;
    for (const record of input.Records) {
      checksum += Buffer.from(record.Data, 'base64').length;
      checksum += createHash('md5').update(record.PartitionKey).digest()[0] ?? 0;
    }
    records += input.Records.length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (checksum === 0) throw new Error('decode ceiling decoded nothing');
  return records / seconds;
}
