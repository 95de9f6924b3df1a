/**
 * The sample DiscoverInputSchema infers from: recent records of every shard of a stream (those of
 * the last ten minutes, or the oldest retained ones when there are none, or the oldest first for
 * TRIM_HORIZON), or the lines of an object in the embedded bucket directory. Bounded: at most
 * `sampleRecordsMax` records, read with a bounded number of GetRecords calls per shard.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument, resourceNotFound } from '../../core/errors.js';
import type { Clock } from '../../core/clock.js';
import { ReferenceObjectMissing } from '../runner/reference-data.js';
import type { GatewayRecord, ShardStart, StreamGateway } from '../runner/stream-gateway.js';

export const sampleRecordsMax = 100;
const recentWindowMs = 10 * 60_000;
const readsPerShardMax = 10;

export async function sampleStream(
  gateway: StreamGateway,
  clock: Clock,
  streamArn: string,
  position: 'NOW' | 'TRIM_HORIZON' | 'LAST_STOPPED_POINT',
): Promise<Buffer[]> {
  const sampled = await sampleStreamRecords(gateway, clock, streamArn, position);
  return sampled.flatMap(({ records }) => records.map((record) => record.data));
}

/** The same sample with each record's metadata, by shard (for a preprocessing function). */
export async function sampleStreamRecords(
  gateway: StreamGateway,
  clock: Clock,
  streamArn: string,
  position: 'NOW' | 'TRIM_HORIZON' | 'LAST_STOPPED_POINT',
): Promise<{ shardId: string; records: GatewayRecord[] }[]> {
  const shards = await gateway.listShards(streamArn);
  const perShard = Math.max(1, Math.ceil(sampleRecordsMax / Math.max(1, shards.length)));
  const recent: ShardStart = { type: 'AT_TIMESTAMP', timestampMs: clock.nowMs() - recentWindowMs };
  const samples: { shardId: string; records: GatewayRecord[] }[] = [];
  let total = 0;
  for (const shard of shards) {
    let records =
      position === 'TRIM_HORIZON'
        ? []
        : await readShard(gateway, streamArn, shard.shardId, recent, perShard, 'last');
    if (records.length === 0) {
      records = await readShard(
        gateway,
        streamArn,
        shard.shardId,
        { type: 'TRIM_HORIZON' },
        perShard,
        position === 'TRIM_HORIZON' ? 'first' : 'last',
      );
    }
    records = records.slice(0, sampleRecordsMax - total);
    total += records.length;
    if (records.length > 0) samples.push({ shardId: shard.shardId, records });
  }
  return samples;
}

async function readShard(
  gateway: StreamGateway,
  streamArn: string,
  shardId: string,
  start: ShardStart,
  count: number,
  keep: 'first' | 'last',
): Promise<GatewayRecord[]> {
  let iterator: string | undefined = await gateway.shardIterator(streamArn, shardId, start);
  const kept: GatewayRecord[] = [];
  for (let reads = 0; reads < readsPerShardMax && iterator !== undefined; reads++) {
    const batch = await gateway.getRecords(streamArn, iterator, 1000);
    kept.push(...batch.records);
    if (keep === 'first' && kept.length >= count) return kept.slice(0, count);
    if (kept.length > count) kept.splice(0, kept.length - count);
    iterator = batch.nextIterator;
    if (batch.records.length === 0 && batch.millisBehindLatest === 0) break;
  }
  return kept;
}

/**
 * The records of an object under `<bucketsDirectory>/<bucket>/<key>`: a JSON object is one record,
 * a JSON array of objects one per element, anything else one per line.
 */
export async function sampleObject(
  bucketsDirectory: string,
  bucketArn: string,
  fileKey: string,
  readObject?: (bucketArn: string, fileKey: string) => Promise<Buffer>,
): Promise<Buffer[]> {
  const bucket = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(bucketArn)?.[1];
  if (bucket === undefined) throw invalidArgument(`Invalid bucket ARN ${bucketArn}.`);
  const bucketDirectory = path.resolve(bucketsDirectory, bucket);
  const file = path.resolve(bucketDirectory, fileKey);
  if (!file.startsWith(bucketDirectory + path.sep)) throw invalidArgument(`Invalid file key ${fileKey}.`);
  const notFound = () => resourceNotFound(`Object ${fileKey} was not found in bucket ${bucket}.`);
  let content: string;
  try {
    content =
      readObject === undefined
        ? await readFile(file, 'utf8')
        : (await readObject(bucketArn, fileKey)).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof ReferenceObjectMissing)
      throw notFound();
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(content);
    if (
      Array.isArray(parsed) &&
      parsed.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
    ) {
      return parsed.slice(0, sampleRecordsMax).map((item) => Buffer.from(JSON.stringify(item)));
    }
    if (typeof parsed === 'object' && parsed !== null) return [Buffer.from(content.trim())];
  } catch {
    // not one JSON document: a record per line
  }
  const lineDelimiter = content.includes('\r\n') ? '\r\n' : '\n';
  return content
    .split(lineDelimiter)
    .filter((line) => line.trim() !== '')
    .slice(0, sampleRecordsMax)
    .map((line) => Buffer.from(line));
}
